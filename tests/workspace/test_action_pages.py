"""The action registers in the workspace, as an editor uses them (Django test client): a project
with its parts and a new partner in one save, every problem at its field, a stale edit that keeps
the input, publish, history, escaped text; and every write route × every role."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from berekraft.action import services
from berekraft.action.inputs import InvolvementInput, OrganisationInput, PriorityInput, ProjectInput
from berekraft.action.models import ActionHistory, Involvement, Organisation, Priority, Project
from berekraft.catalogue.models import Series
from berekraft.places.models import Place

pytestmark = pytest.mark.django_db

PARTS = ("kpis", "partners", "deliverables", "funding", "links", "timeline")
EMPTY_ROW = {
    "kpis": {"expected": "up"},
    "partners": {"role": "lead"},
    "deliverables": {"status": "planned"},
    "funding": {"source": ""},  # the funding source's first option is blank
}


def as_user(user: User | None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def project_post(
    version: int = 0, rows: dict[str, list[dict[str, Any]]] | None = None, **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": version,
        "title": "Grønn mobilitet",
        "status": "ongoing",
        "progress": "30",
    }
    data.update(fields)
    for prefix in PARTS:
        # The browser also sends each form set's empty extra row, with its selects' first choices.
        items = [*(rows or {}).get(prefix, []), EMPTY_ROW.get(prefix, {})]
        data[f"{prefix}-TOTAL_FORMS"] = len(items)
        data[f"{prefix}-INITIAL_FORMS"] = 0
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, item in enumerate(items):
            for key, value in item.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def red_series() -> str:
    return str(Series.objects.order_by("code").values_list("code", flat=True).first())


def test_editor_registers_a_project_with_an_existing_and_a_new_partner(people: dict[str, User]) -> None:
    shared = services.organisation_create(
        data=OrganisationInput(name="Høgskolen", kind="academia"),
        user=None,
        member=Place.objects.get(code="1506"),
    )
    editor = as_user(people["editor_a"])
    assert editor.get("/workspace/action/5001/projects/new/").status_code == 200
    rows = {
        "kpis": [{"series": red_series(), "expected": "down"}],
        "partners": [{"organisation": shared.pk, "role": "research"}],
    }
    wrong = project_post(
        rows=rows,
        sdg_targets=["11.6"],
        goals=["11"],
        **{
            "new-name": "Ny Bedrift AS",
            "new-kind": "business",
            "new-org_number": "974760674",
            "new-role": "supplier",
        },
    )
    page = editor.post("/workspace/action/5001/projects/new/", wrong).content.decode()
    assert "The check digit (the last digit) does not match" in page
    assert not Project.objects.filter(title="Grønn mobilitet").exists()
    assert not Organisation.objects.filter(name="Ny Bedrift AS").exists()  # all or nothing

    right = {**wrong, "new-org_number": "974 760 673"}
    response = editor.post("/workspace/action/5001/projects/new/", right)
    assert response.status_code == 302
    project = Project.objects.get(title="Grønn mobilitet")
    assert project.member.code == "5001" and project.published_at is None
    assert {p.organisation.name for p in project.partnerships.all()} == {"Høgskolen", "Ny Bedrift AS"}
    assert list(project.sdg_targets.values_list("code", flat=True)) == ["11.6"]
    assert project.kpis.get().series.code == red_series()

    editor.post(f"/workspace/action/project/{project.pk}/publish/", {"version": project.version})
    project.refresh_from_db()
    assert project.published_at is not None
    history = editor.get(f"/workspace/action/project/{project.pk}/history/").content.decode()
    assert "created" in history and "published" in history


def test_every_problem_is_shown_at_its_field(people: dict[str, User]) -> None:
    editor = as_user(people["editor_a"])
    data = project_post(
        progress="140",
        start_date="2025-05-01",
        end_date="2025-01-01",
        contact_email="nobody",
        rows={"links": [{"title": "Lenke", "url": "javascript:alert(1)"}]},
    )
    page = editor.post("/workspace/action/5001/projects/new/", data).content.decode()
    for message in (
        "Progress is a percentage from 0 to 100.",
        "The end date is before the start date.",
        "Not an e-mail address.",
        "Only web addresses starting with http:// or https://.",
    ):
        assert message in page
    assert 'value="javascript:alert(1)"' in page  # the input is kept
    assert not Project.objects.filter(title="Grønn mobilitet").exists()


def test_a_stale_edit_shows_a_conflict_and_keeps_the_input(people: dict[str, User]) -> None:
    project = services.project_create(
        member=Place.objects.get(code="5001"), data=ProjectInput(title="Før"), user=None
    )
    editor = as_user(people["editor_a"])
    editor.get(f"/workspace/action/project/{project.pk}/")
    services.project_update(
        project=project, data=ProjectInput(title="Endret av andre"), expected_version=1, user=None
    )
    page = editor.post(
        f"/workspace/action/project/{project.pk}/", project_post(version=1, title="Min endring")
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Not saved: someone else changed this record." in text
    assert 'value="Min endring"' in text
    assert 'name="version" value="2"' in text  # saving again overwrites knowingly
    project.refresh_from_db()
    assert project.title == "Endret av andre"


def test_a_script_in_a_title_is_shown_as_text(people: dict[str, User]) -> None:
    editor = as_user(people["editor_a"])
    editor.post("/workspace/action/5001/projects/new/", project_post(title="<script>alert(1)</script>"))
    project = Project.objects.get(title="<script>alert(1)</script>")
    for url in ("/workspace/action/", f"/workspace/action/project/{project.pk}/"):
        text = editor.get(url).content.decode()
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_editor_records_a_workshop_reaching_youth_and_immigrants(people: dict[str, User]) -> None:
    editor = as_user(people["editor_a"])
    response = editor.post(
        "/workspace/action/5001/involvement/new/",
        {
            "version": 0,
            "title": "Verksted om sykkelveier",
            "method": "workshop",
            "start_date": "2025-03-04",
            "participants": "40",
            "groups": ["children_youth", "immigrants"],
        },
    )
    assert response.status_code == 302
    workshop = Involvement.objects.get(title="Verksted om sykkelveier")
    assert (workshop.participants, workshop.groups) == (40, ["children_youth", "immigrants"])
    page = editor.post(
        "/workspace/action/5001/priorities/new/", {"version": 0, "reason": "", "valid_from": "2025-01-01"}
    ).content.decode()
    assert "A priority is either a goal or a KPI series" in page


# --- every write route × every role ---------------------------------------------------------------

ROLES = ["admin", "verifier", "editor_a", "editor_b", "public", "anonymous"]


@pytest.fixture
def records() -> dict[str, Any]:
    trondheim = Place.objects.get(code="5001")
    org = services.organisation_create(
        data=OrganisationInput(name="NTNU", kind="academia"), user=None, member=trondheim
    )
    return {
        "project": services.project_create(member=trondheim, data=ProjectInput(title="P"), user=None),
        "involvement": services.involvement_create(
            member=trondheim,
            data=InvolvementInput(title="I", method="survey", start_date=date(2025, 1, 1)),
            user=None,
        ),
        "priority": services.priority_create(
            member=trondheim, data=PriorityInput(reason="r", valid_from=date(2025, 1, 1), goal=11), user=None
        ),
        "organisation": org,
    }


def _status(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    response = client.get(url) if method == "get" else client.post(url, data or {})
    if response.status_code == 302 and "/login" in response["Location"]:
        return 401
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_the_write_routes_refuse_everyone_but_the_members_editors_and_the_admin(
    people: dict[str, User], records: dict[str, Any], role: str
) -> None:
    client = as_user(None if role == "anonymous" else people[role])
    allowed = role in ("admin", "editor_a")
    refused = 401 if role == "anonymous" else 403
    p, i, r, o = records["project"], records["involvement"], records["priority"], records["organisation"]
    pages = [
        "/workspace/action/5001/projects/new/",
        f"/workspace/action/project/{p.pk}/",
        "/workspace/action/5001/involvement/new/",
        f"/workspace/action/involvement/{i.pk}/",
        "/workspace/action/5001/priorities/new/",
        f"/workspace/action/priority/{r.pk}/",
        f"/workspace/action/organisation/{o.pk}/",
        f"/workspace/action/project/{p.pk}/history/",
        f"/workspace/action/involvement/{i.pk}/history/",
        f"/workspace/action/priority/{r.pk}/history/",
        f"/workspace/action/organisation/{o.pk}/history/",
        "/workspace/action/5001/projects/import/",
        "/workspace/action/5001/projects.xlsx",
    ]
    for url in pages:
        assert _status(client, "get", url) == (200 if allowed else refused), url
    posts = [
        ("/workspace/action/5001/projects/new/", project_post(title="Ny")),
        (f"/workspace/action/project/{p.pk}/", project_post(version=1, title="Endret")),
        (
            "/workspace/action/5001/involvement/new/",
            {"version": 0, "title": "Ny I", "method": "survey", "start_date": "2025-01-01"},
        ),
        (
            f"/workspace/action/involvement/{i.pk}/",
            {"version": 1, "title": "I2", "method": "survey", "start_date": "2025-01-01"},
        ),
        (
            "/workspace/action/5001/priorities/new/",
            {"version": 0, "goal": "3", "reason": "x", "valid_from": "2025-01-01"},
        ),
        (
            f"/workspace/action/priority/{r.pk}/",
            {"version": 1, "goal": "12", "reason": "x", "valid_from": "2025-01-01"},
        ),
        (f"/workspace/action/organisation/{o.pk}/", {"version": 1, "name": "NTNU 2", "kind": "academia"}),
        (
            "/workspace/action/5001/projects/import/",
            {"file": SimpleUploadedFile("p.csv", b"key,title\nP-9,Ny\n")},
        ),
    ]
    for url, data in posts:
        expected = 200 if url.endswith("/import/") else 302  # the upload shows its report
        assert _status(client, "post", url, data) == (expected if allowed else refused), url
    for register, record in records.items():
        for action in ("publish", "unpublish"):
            status = _status(client, "post", f"/workspace/action/{register}/{record.pk}/{action}/")
            assert status == (302 if allowed else refused), (register, action)
    assert Project.objects.filter(title__in=["Ny", "Endret"]).count() == (3 if allowed else 0)
    assert Involvement.objects.filter(title__in=["Ny I", "I2"]).count() == (2 if allowed else 0)
    assert Priority.objects.filter(goal__number__in=[3, 12]).count() == (2 if allowed else 0)
    assert Organisation.objects.filter(name="NTNU 2").exists() is allowed
    changes = ActionHistory.objects.exclude(change="create").count()
    assert (changes > 0) is allowed
    for register, record in records.items():
        if register == "organisation":
            continue
        status = _status(client, "post", f"/workspace/action/{register}/{record.pk}/delete/")
        assert status == (302 if allowed else refused), (register, "delete")
        assert type(record).objects.filter(pk=record.pk).exists() is not allowed


@pytest.mark.parametrize("role", ROLES)
def test_registering_an_organisation_is_for_editors_and_the_admin(people: dict[str, User], role: str) -> None:
    client = as_user(None if role == "anonymous" else people[role])
    status = _status(
        client,
        "post",
        "/workspace/action/organisations/new/",
        {"version": 0, "name": f"Org {role}", "kind": "business"},
    )
    allowed = role in ("admin", "editor_a", "editor_b")
    assert status == (302 if allowed else 401 if role == "anonymous" else 403)
    assert Organisation.objects.filter(name=f"Org {role}").exists() is allowed


def test_the_untouched_spare_rows_a_browser_sends_are_ignored(people: dict[str, User]) -> None:
    """A browser sends every select of the empty spare rows with its first option chosen; a row the
    editor did not touch is no row, never an error nor an empty funding line (found in Chromium)."""
    editor = as_user(people["editor_a"])
    untouched = {
        "kpis": {"series": "", "expected": "up", "expected_value": "", "expected_year": ""},
        "partners": {"organisation": "", "role": "lead", "note": ""},
        "deliverables": {"what": "", "due_date": "", "status": "planned", "organisation": ""},
        "funding": {"source": "", "amount_nok": "", "note": ""},  # its first option is blank
        "links": {"title": "", "url": ""},
        "timeline": {"date": "", "text": ""},
    }
    data = project_post(rows={prefix: [row] for prefix, row in untouched.items()})
    data |= {"new-name": "", "new-kind": "", "new-org_number": "", "new-website": "", "new-role": ""}
    response = editor.post("/workspace/action/5001/projects/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Project.objects.get(title="Grønn mobilitet")
    assert not saved.funding.exists() and not saved.partnerships.exists() and not saved.kpis.exists()
