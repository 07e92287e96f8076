"""The action registers in the admin: every page opens, a save leaves history and raises the
version, and the merge action keeps one organisation with every partnership."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from berekraft.action import services
from berekraft.action.inputs import OrganisationInput, PartnerInput, ProjectInput
from berekraft.action.models import ActionHistory, Organisation, Project
from berekraft.places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(people: dict[str, User]) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["admin"])
    return client


def _org(name: str) -> Organisation:
    return services.organisation_create(data=OrganisationInput(name=name, kind="academia"), user=None)


def test_every_admin_page_of_the_registers_opens(admin_client: Client) -> None:
    org = _org("NTNU")
    project = services.project_create(
        member=Place.objects.get(code="5001"),
        data=ProjectInput(title="P", partners=(PartnerInput(organisation=org.pk, role="lead"),)),
        user=None,
    )
    for model in ("project", "organisation", "involvement", "priority", "actionhistory"):
        assert admin_client.get(f"/admin/action/{model}/").status_code == 200, model
    assert admin_client.get(f"/admin/action/project/{project.pk}/change/").status_code == 200
    assert admin_client.get("/admin/action/project/add/").status_code == 200


def test_the_admin_merges_two_organisations(admin_client: Client) -> None:
    keep, other = _org("Universitetet"), _org("Universitetet (dublett)")
    project = services.project_create(
        member=Place.objects.get(code="1506"),
        data=ProjectInput(title="P", partners=(PartnerInput(organisation=other.pk, role="research"),)),
        user=None,
    )
    response = admin_client.post(
        "/admin/action/organisation/",
        {"action": "merge", "_selected_action": [keep.pk, other.pk]},
        follow=True,
    )
    assert "was merged into" in response.content.decode()
    assert project.partnerships.get().organisation_id == keep.pk
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert ActionHistory.objects.filter(change="merge").count() == 2


def test_the_admin_unpublishes_any_record(admin_client: Client) -> None:
    project = services.project_create(
        member=Place.objects.get(code="1506"), data=ProjectInput(title="P"), user=None, publish=True
    )
    admin_client.post("/admin/action/project/", {"action": "unpublish", "_selected_action": [project.pk]})
    project.refresh_from_db()
    assert project.published_at is None
    assert ActionHistory.objects.filter(object_id=project.pk, change="unpublish").exists()


def test_a_save_in_the_admin_raises_the_version_and_leaves_history(admin_client: Client) -> None:
    org = _org("NTNU")
    response = admin_client.post(
        f"/admin/action/organisation/{org.pk}/change/",
        {
            "name": "NTNU Gjøvik",
            "kind": "academia",
            "org_number": "",
            "website": "",
            "is_demo": "",
            "opened_version": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert (org.name, org.version) == ("NTNU Gjøvik", 2)
    row = ActionHistory.objects.filter(model="organisation", object_id=org.pk, change="update").get()
    assert row.before is not None and row.before["name"] == "NTNU"
    assert Project.objects.count() >= 0


def test_an_admin_save_over_a_newer_version_is_a_conflict_that_changes_nothing(admin_client: Client) -> None:
    """The admin opened the record at version 1; an editor then saved it (version 2). The admin's
    save must not overwrite the editor's change."""
    org = _org("NTNU")
    page = admin_client.get(f"/admin/action/organisation/{org.pk}/change/").content.decode()
    assert 'name="opened_version" value="1"' in page
    Organisation.objects.filter(pk=org.pk).update(name="NTNU (editor)", version=2)
    response = admin_client.post(
        f"/admin/action/organisation/{org.pk}/change/",
        {"name": "NTNU (admin)", "kind": "academia", "org_number": "", "website": "", "opened_version": "1"},
    )
    assert response.status_code == 200  # the form again, with the conflict
    assert "Someone saved this record after you opened it" in response.content.decode()
    org.refresh_from_db()
    assert (org.name, org.version) == ("NTNU (editor)", 2)
    assert not ActionHistory.objects.filter(model="organisation", object_id=org.pk, change="update").exists()
    again = admin_client.post(
        f"/admin/action/organisation/{org.pk}/change/",
        {"name": "NTNU (admin)", "kind": "academia", "org_number": "", "website": "", "opened_version": "2"},
    )
    assert again.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.version) == ("NTNU (admin)", 3)


def test_an_admin_save_without_the_version_it_opened_is_refused(admin_client: Client) -> None:
    org = _org("NTNU")
    response = admin_client.post(
        f"/admin/action/organisation/{org.pk}/change/",
        {"name": "NTNU (forged)", "kind": "academia", "org_number": "", "website": ""},
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.name == "NTNU"
