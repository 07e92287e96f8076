"""Writing the action registers: every problem per field, all or nothing, history, stale edits,
organisations shared by the network (no duplicate numbers, merges), and who may write what."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.utils import translation

from berekraft.action import services
from berekraft.action.inputs import (
    DeliverableInput,
    FundingInput,
    InvolvementInput,
    KpiInput,
    LinkInput,
    OrganisationInput,
    PartnerInput,
    PriorityInput,
    ProjectInput,
    TimelineInput,
)
from berekraft.action.models import ActionHistory, Involvement, Organisation, Partnership, Priority, Project
from berekraft.catalogue.models import Series
from berekraft.errors import ConflictError, ForbiddenError, InputError
from berekraft.places.models import Place

pytestmark = pytest.mark.django_db

# Published organisation numbers (Brønnøysundregistrene): the register itself, and Equinor ASA.
BRREG = "974760673"
EQUINOR = "923609016"


def place(code: str) -> Place:
    return Place.objects.get(code=code)


def series_code() -> str:
    return str(Series.objects.order_by("code").values_list("code", flat=True).first())


def organisation(name: str = "NTNU", number: str = "", member: str | None = "5001") -> Organisation:
    return services.organisation_create(
        data=OrganisationInput(name=name, kind="academia", org_number=number),
        user=None,
        member=place(member) if member else None,
    )


def full_project(org: Organisation, **changes: Any) -> ProjectInput:
    base = ProjectInput(
        title="Grønn mobilitet",
        summary="Færre bilturer",
        description="Første avsnitt.\n\nAndre avsnitt med https://example.org",
        status="ongoing",
        progress=40,
        start_date=date(2024, 1, 1),
        end_date=date(2026, 12, 31),
        contact_name="Kari",
        contact_email="kari@example.org",
        budget_nok=2_000_000,
        goals=(11, 13),
        sdg_targets=("11.6", "13.2"),
        kpis=(KpiInput(series=series_code(), expected="down", expected_value=10.0, expected_year=2030),),
        partners=(PartnerInput(organisation=org.pk, role="research"),),
        deliverables=(DeliverableInput(what="Rapport", due_date=date(2025, 6, 1), organisation=org.pk),),
        funding=(FundingInput(source="state", amount_nok=500_000),),
        links=(LinkInput(title="Vedtak", url="https://example.org/vedtak"),),
        timeline=(TimelineInput(date=date(2024, 2, 1), text="Oppstart"),),
    )
    return ProjectInput(**{**{f: getattr(base, f) for f in base.__slots__}, **changes})  # type: ignore[attr-defined]


def columns(exc: pytest.ExceptionInfo[InputError]) -> set[str]:
    return {p.column for p in exc.value.problems}


def test_a_project_is_saved_with_all_its_parts_and_a_history_row() -> None:
    org = organisation()
    project = services.project_create(member=place("5001"), data=full_project(org), user=None)
    assert project.published_at is None  # a draft
    assert sorted(project.goals.values_list("number", flat=True)) == [11, 13]
    assert sorted(project.sdg_targets.values_list("code", flat=True)) == ["11.6", "13.2"]
    assert project.kpis.get().expected == "down"
    deliverable = project.deliverables.get()
    assert deliverable.partnership is not None and deliverable.partnership.organisation == org
    assert (project.funding.count(), project.links.count(), project.timeline.count()) == (1, 1, 1)
    row = ActionHistory.objects.get(model="project", object_id=project.pk)
    assert row.change == "create" and row.before is None
    assert row.after is not None and row.after["partners"][0]["name"] == "NTNU"
    assert row.after["sdg_targets"] == ["11.6", "13.2"]


def test_every_problem_of_a_project_is_reported_at_its_field_and_nothing_is_written() -> None:
    org = organisation()
    bad = full_project(
        org,
        title="",
        progress=140,
        start_date=date(2025, 1, 1),
        end_date=date(2024, 1, 1),
        contact_email="not-an-address",
        goals=(18,),
        sdg_targets=("11.99",),
        kpis=(
            KpiInput(series="NO SUCH SERIES", expected="up"),
            KpiInput(series=series_code(), expected="sideways", expected_year=3000),
        ),
        partners=(PartnerInput(organisation=org.pk, role="boss"),),
        links=(LinkInput(title="x", url="javascript:alert(1)"),),
        funding=(FundingInput(source="state", amount_nok=-5),),
        timeline=(TimelineInput(date=None, text=""),),
    )
    before = Project.objects.count()
    with pytest.raises(InputError) as exc:
        services.project_create(member=place("5001"), data=bad, user=None)
    assert columns(exc) >= {
        "title",
        "progress",
        "end_date",
        "contact_email",
        "goals",
        "sdg_targets",
        "kpis-0-series",
        "kpis-1-expected",
        "kpis-1-expected_year",
        "partners-0-role",
        "links-0-url",
        "funding-0-amount_nok",
        "timeline-0-date",
        "timeline-0-text",
    }
    assert Project.objects.count() == before
    assert not ActionHistory.objects.filter(model="project").exists()


def test_a_script_in_a_title_is_stored_as_typed() -> None:
    title = "<script>alert('x')</script> & co"
    project = services.project_create(member=place("5001"), data=ProjectInput(title=title), user=None)
    project.refresh_from_db()
    assert project.title == title


def test_a_stale_edit_is_refused_and_writes_nothing() -> None:
    org = organisation()
    project = services.project_create(member=place("5001"), data=full_project(org), user=None)
    services.project_update(
        project=project, data=full_project(org, title="Ny tittel"), expected_version=1, user=None
    )
    with translation.override("en"), pytest.raises(ConflictError, match="version 2, you had 1"):
        services.project_update(
            project=project,
            data=full_project(org, title="Min tittel", partners=(), deliverables=()),
            expected_version=1,
            user=None,
        )
    project.refresh_from_db()
    assert (project.title, project.version, project.partnerships.count()) == ("Ny tittel", 2, 1)
    assert ActionHistory.objects.filter(model="project", object_id=project.pk).count() == 2


def test_an_update_replaces_the_parts_and_keeps_before_and_after() -> None:
    org = organisation()
    project = services.project_create(member=place("5001"), data=full_project(org), user=None)
    services.project_update(
        project=project, data=full_project(org, partners=(), deliverables=()), expected_version=1, user=None
    )
    assert not Partnership.objects.filter(project=project).exists()
    row = ActionHistory.objects.filter(model="project", object_id=project.pk, change="update").get()
    assert row.before is not None and len(row.before["partners"]) == 1
    assert row.after is not None and row.after["partners"] == []


def test_saving_the_same_project_again_changes_nothing() -> None:
    org = organisation()
    project = services.project_create(member=place("5001"), data=full_project(org), user=None)
    same, changed = services.project_update_changed(
        project=project, data=full_project(org), expected_version=1, user=None
    )
    assert not changed and same.version == 1
    assert ActionHistory.objects.filter(model="project", object_id=project.pk).count() == 1


def test_publish_and_unpublish_leave_history() -> None:
    project = services.project_create(member=place("5001"), data=ProjectInput(title="T"), user=None)
    project = services.record_publish(record=project, user=None, expected_version=1)
    assert project.published_at is not None and project.version == 2
    project = services.record_unpublish(record=project, user=None)
    assert project.published_at is None
    changes = list(
        ActionHistory.objects.filter(model="project", object_id=project.pk)
        .order_by("pk")
        .values_list("change", flat=True)
    )
    assert changes == ["create", "publish", "unpublish"]


def test_organisation_numbers_are_checked_and_unique() -> None:
    with pytest.raises(InputError) as exc:
        organisation(number="974760674")  # one digit off: wrong check digit
    assert columns(exc) == {"org_number"}
    assert "check digit" in exc.value.problems[0].message
    with pytest.raises(InputError):
        organisation(number="12345")
    first = organisation(name="Brønnøysundregistrene", number="974 760 673")
    assert first.org_number == BRREG
    with pytest.raises(InputError) as exc:
        organisation(name="Brreg", number=BRREG, member="1506")
    assert exc.value.problems[0].text().startswith(f"Organisation number {BRREG} is already registered")
    assert f"no. {first.pk}" in exc.value.problems[0].text()
    assert Organisation.objects.filter(org_number=BRREG).count() == 1


def test_organisation_fields_are_checked_all_at_once() -> None:
    with pytest.raises(InputError) as exc:
        services.organisation_create(
            data=OrganisationInput(name="", kind="cartel", org_number="abc", website="ftp://x.no"), user=None
        )
    assert columns(exc) == {"name", "kind", "org_number", "website"}


def test_involvement_and_priority_fields_are_checked() -> None:
    other = services.project_create(member=place("1506"), data=ProjectInput(title="Molde"), user=None)
    with pytest.raises(InputError) as exc:
        services.involvement_create(
            member=place("5001"),
            data=InvolvementInput(
                title="",
                method="seance",
                start_date=date(2025, 5, 1),
                end_date=date(2025, 4, 1),
                participants=-1,
                groups=("youth", "martians"),
                project=other.pk,
            ),
            user=None,
        )
    assert columns(exc) == {"title", "method", "end_date", "participants", "groups", "project"}
    with pytest.raises(InputError) as exc:
        services.priority_create(
            member=place("5001"),
            data=PriorityInput(reason="", valid_from=None, goal=11, series=series_code(), decision_url="x"),
            user=None,
        )
    assert columns(exc) == {"reason", "valid_from", "goal", "decision_url"}
    with pytest.raises(InputError) as exc:
        services.priority_create(
            member=place("5001"), data=PriorityInput(reason="r", valid_from=date(2025, 1, 1)), user=None
        )
    assert columns(exc) == {"goal"}
    workshop = services.involvement_create(
        member=place("5001"),
        data=InvolvementInput(
            title="Verksted",
            method="workshop",
            start_date=date(2025, 3, 1),
            participants=40,
            groups=("children_youth", "immigrants"),
        ),
        user=None,
    )
    assert workshop.groups == ["children_youth", "immigrants"]
    priority = services.priority_create(
        member=place("5001"),
        data=PriorityInput(reason="Vedtatt", valid_from=date(2025, 1, 1), goal=11),
        user=None,
    )
    assert priority.goal is not None and priority.goal.number == 11


def test_merging_organisations_moves_partnerships_and_refuses_a_duplicate_role() -> None:
    keep, other = organisation("NTNU"), organisation("NTNU Trondheim", number=BRREG)
    a = services.project_create(
        member=place("5001"),
        data=ProjectInput(title="A", partners=(PartnerInput(organisation=other.pk, role="research"),)),
        user=None,
    )
    services.organisations_merge(keep=keep, other=other, user=None)
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert a.partnerships.get().organisation_id == keep.pk
    keep.refresh_from_db()
    assert keep.org_number == BRREG  # taken from the merged record
    assert ActionHistory.objects.filter(change="merge", object_id__in=[keep.pk, other.pk]).count() == 2

    third = organisation("NTNU (dublett)")
    services.project_update(
        project=a,
        data=ProjectInput(
            title="A",
            partners=(
                PartnerInput(organisation=keep.pk, role="research"),
                PartnerInput(organisation=third.pk, role="research"),
            ),
        ),
        expected_version=1,
        user=None,
    )
    with translation.override("en"), pytest.raises(ConflictError, match="same role"):
        services.organisations_merge(keep=keep, other=third, user=None)
    assert Organisation.objects.filter(pk=third.pk).exists()


def test_an_organisation_in_a_project_is_not_deleted() -> None:
    org = organisation()
    services.project_create(
        member=place("5001"),
        data=ProjectInput(title="A", partners=(PartnerInput(organisation=org.pk, role="lead"),)),
        user=None,
    )
    with pytest.raises(ConflictError):
        services.record_delete(record=org, user=None)
    assert Organisation.objects.filter(pk=org.pk).exists()


# --- the permission matrix: every write × every role ----------------------------------------------

ROLES = ["admin", "verifier", "editor_a", "editor_b", "public", "anonymous"]


def _user(people: dict[str, User], role: str) -> User | AnonymousUser:
    return AnonymousUser() if role == "anonymous" else people[role]


def _attempt(write: Any) -> bool:
    try:
        write()
    except ForbiddenError:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_member_records_are_written_only_by_the_members_editors_and_the_admin(
    people: dict[str, User], role: str
) -> None:
    user: Any = _user(people, role)
    allowed = role in ("admin", "editor_a")  # Trondheim (5001) records
    org = organisation()
    project = services.project_create(member=place("5001"), data=ProjectInput(title="P"), user=None)
    involvement = services.involvement_create(
        member=place("5001"),
        data=InvolvementInput(title="I", method="survey", start_date=date(2025, 1, 1)),
        user=None,
    )
    priority = services.priority_create(
        member=place("5001"), data=PriorityInput(reason="r", valid_from=date(2025, 1, 1), goal=3), user=None
    )
    writes = {
        "project_create": lambda: services.project_create(
            member=place("5001"), data=ProjectInput(title="New"), user=user
        ),
        "project_update": lambda: services.project_update(
            project=project,
            data=ProjectInput(title="Changed", partners=(PartnerInput(organisation=org.pk, role="lead"),)),
            expected_version=None,
            user=user,
        ),
        "involvement_create": lambda: services.involvement_create(
            member=place("5001"),
            data=InvolvementInput(title="I2", method="survey", start_date=date(2025, 1, 1)),
            user=user,
        ),
        "involvement_update": lambda: services.involvement_update(
            involvement=involvement,
            data=InvolvementInput(title="I3", method="survey", start_date=date(2025, 1, 1)),
            expected_version=None,
            user=user,
        ),
        "priority_create": lambda: services.priority_create(
            member=place("5001"),
            data=PriorityInput(reason="r", valid_from=date(2025, 1, 1), goal=4),
            user=user,
        ),
        "priority_update": lambda: services.priority_update(
            priority=priority,
            data=PriorityInput(reason="r2", valid_from=date(2025, 1, 1), goal=3),
            expected_version=None,
            user=user,
        ),
        "publish": lambda: services.record_publish(record=project, user=user),
    }
    for name, write in writes.items():
        assert _attempt(write) is allowed, name
    # Unpublish: the member's editors and the admin (the admin anything).
    assert _attempt(lambda: services.record_unpublish(record=project, user=user)) is allowed
    for record in (involvement, priority, project):
        assert _attempt(lambda r=record: services.record_delete(record=r, user=user)) is allowed
    assert Project.objects.filter(title="New").exists() is allowed
    assert Involvement.objects.filter(title="I2").exists() is allowed
    assert Priority.objects.filter(goal__number=4).exists() is allowed


@pytest.mark.parametrize("role", ROLES)
def test_organisations_are_edited_by_the_registering_members_editors_and_the_admin(
    people: dict[str, User], role: str
) -> None:
    user: Any = _user(people, role)
    org = organisation(member="5001")
    edit = lambda: services.organisation_update(  # noqa: E731
        organisation=org,
        data=OrganisationInput(name="NTNU 2", kind="academia"),
        expected_version=None,
        user=user,
    )
    assert _attempt(edit) is (role in ("admin", "editor_a"))
    register = lambda: services.organisation_create(  # noqa: E731
        data=OrganisationInput(name=f"Ny {role}", kind="business"), user=user
    )
    assert _attempt(register) is (role in ("admin", "editor_a", "editor_b"))
    merge = lambda: services.organisations_merge(  # noqa: E731
        keep=org, other=organisation("Dublett"), user=user
    )
    assert _attempt(merge) is (role == "admin")
    assert _attempt(lambda: services.record_unpublish(record=org, user=user)) is (
        role in ("admin", "editor_a")
    )


def test_any_editor_links_any_organisation_to_their_own_project(people: dict[str, User]) -> None:
    org = organisation(member="5001")  # registered by Trondheim
    project = services.project_create(
        member=place("1506"),
        data=ProjectInput(title="Molde", partners=(PartnerInput(organisation=org.pk, role="research"),)),
        user=people["editor_b"],
    )
    assert project.partnerships.get().organisation == org
