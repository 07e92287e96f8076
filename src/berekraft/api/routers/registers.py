"""Organisations, citizen involvement and a member's priorities: published records only, read
through the pages' selectors (action/records.py for a record's page, action/listings.py for the
lists the site has no page of)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router

from berekraft.action import records, search
from berekraft.action.listings import (
    InvolvementFilters,
    OrganisationFilters,
    involvement_list,
    organisation_list,
)
from berekraft.action.models import Involvement, Organisation
from berekraft.api.action_schemas import (
    InvolvementDetailOut,
    InvolvementOut,
    OrganisationDetailOut,
    OrganisationItemOut,
    OrganisationProjectOut,
    PriorityOut,
    ProjectRefOut,
)
from berekraft.api.auth import Public
from berekraft.api.errors import ERROR_STATUSES, Errors
from berekraft.api.lookups import InvolvementMethod, OrganisationKind
from berekraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, paginate
from berekraft.api.routers.projects import MAX_ID, Filters, Id, project_fields
from berekraft.web import constants
from berekraft.web.selectors import common

router = Router(auth=Public(), tags=["action"])
ERRORS = {s: Errors for s in ERROR_STATUSES}
MEMBER = r"^[0-9A-Za-z]{1,10}$"  # a place code, as the project list's filter takes it


class OrganisationQuery(Filters):
    kind: OrganisationKind | None = None
    member: str | None = Field(
        None, pattern=MEMBER, description="partners in this member's published projects"
    )
    q: str | None = Field(None, max_length=200, description="a part of the name")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


def _organisation(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "kind": o.kind,
        "org_number": o.org_number,
        "website": o.website,
        "url": f"/organisations/{o.pk}/",
        "demonstration_data": o.is_demo,
    }


@router.get("/organisations", response={200: Page[OrganisationItemOut], **ERRORS})
def organisations(request: HttpRequest, q: Query[OrganisationQuery]) -> Page[OrganisationItemOut]:
    """Partner organisations the public may see (published, or partner in a published project),
    by name, with the number of published projects each takes part in."""
    found = organisation_list(OrganisationFilters(kind=q.kind, member=q.member, q=search.clean_query(q.q)))
    rows, following = paginate(found, limit=q.limit, cursor=q.cursor)
    return Page[OrganisationItemOut](
        items=[
            OrganisationItemOut(**_organisation(o), published_projects=o.published_projects) for o in rows
        ],
        next=following,
    )


@router.get("/organisations/{organisation_id}", response={200: OrganisationDetailOut, **ERRORS})
def organisation(request: HttpRequest, organisation_id: Id) -> OrganisationDetailOut:
    """An organisation and every published project it takes part in, in every member, with its
    roles there (as its page lists them)."""
    page = records.organisation_page(pk=organisation_id)
    return OrganisationDetailOut(
        **_organisation(page.organisation),
        projects=[
            OrganisationProjectOut(**project_fields(op.item), roles=op.role_codes) for op in page.projects
        ],
    )


class InvolvementQuery(Filters):
    member: str | None = Field(None, pattern=MEMBER, description="a member's place code, e.g. 5001")
    method: InvolvementMethod | None = None
    year: int | None = Field(None, ge=1900, le=2200, description="running in that year")
    project: int | None = Field(None, ge=1, le=MAX_ID, description="for this published project")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


def _involvement(i: Involvement, project: ProjectRefOut | None) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "member": i.member.code,
        "member_name": i.member.name_nb,
        "method": i.method,
        "start_date": i.start_date,
        "end_date": i.end_date,
        "participants": i.participants,
        "project": project,
        "url": f"/involvement/{i.pk}/",
        "demonstration_data": i.is_demo,
    }


def _published_project(i: Involvement) -> ProjectRefOut | None:
    p = i.project
    return ProjectRefOut(id=p.pk, title=p.title) if p is not None and p.published_at is not None else None


@router.get("/involvement", response={200: Page[InvolvementOut], **ERRORS})
def involvement_processes(request: HttpRequest, q: Query[InvolvementQuery]) -> Page[InvolvementOut]:
    """Published citizen-involvement processes, newest first; ``project`` is given only when the
    project it was for is published."""
    found = involvement_list(
        InvolvementFilters(member=q.member, method=q.method, year=q.year, project=q.project)
    )
    rows, following = paginate(found, limit=q.limit, cursor=q.cursor)
    return Page[InvolvementOut](
        items=[InvolvementOut(**_involvement(i, _published_project(i))) for i in rows], next=following
    )


@router.get("/involvement/{involvement_id}", response={200: InvolvementDetailOut, **ERRORS})
def involvement(request: HttpRequest, involvement_id: Id) -> InvolvementDetailOut:
    """A published citizen-involvement process: what was asked, what came out, what changed as
    a result, and the groups it reached (codes)."""
    page = records.involvement_page(pk=involvement_id)
    i = page.involvement
    project = ProjectRefOut(id=page.project.pk, title=page.project.title) if page.project else None
    groups = [str(g) for g in i.groups] if isinstance(i.groups, list) else []
    return InvolvementDetailOut(
        **_involvement(i, project),
        groups=groups,
        asked=i.asked,
        outcome=i.outcome,
        changes=i.changes,
    )


@router.get("/members/{code}/priorities", response={200: list[PriorityOut], **ERRORS})
def priorities(request: HttpRequest, code: Annotated[str, Field(pattern=MEMBER)]) -> list[PriorityOut]:
    """The goals and KPI series a member has prioritised, why, for how long and by what decision,
    as its action tab (/members/{code}/action/) shows them."""
    place = common.public_place(code)
    catalogue = constants.catalogue()
    action = records.member_action(place=place, catalogue=catalogue)
    return [
        PriorityOut(
            id=r.priority.pk,
            goal=r.priority.goal.number if r.priority.goal is not None else None,
            series=catalogue.by_id[r.priority.series_id].code if r.priority.series_id is not None else None,
            name=r.name,
            reason=r.priority.reason,
            valid_from=r.priority.valid_from,
            valid_until=r.priority.valid_until,
            decision_url=r.priority.decision_url,
            url=r.url,
            demonstration_data=r.priority.is_demo,
        )
        for r in action.priorities
    ]
