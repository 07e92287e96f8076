"""Projects: the list with the /projects/ page's filters and a project with everything its page
shows. Read through the page's own selectors (action/selectors.py, action/records.py): the same
filters, the same order, the same published records, so page, twin and API cannot disagree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router
from pydantic import BaseModel, model_validator

from berekraft.action import records, search
from berekraft.action.models import Project
from berekraft.action.selectors import (
    ProjectFilters,
    ProjectItem,
    filter_projects,
    parse_filters,
    project_items,
    project_path,
    published_projects,
    with_links,
)
from berekraft.api.action_schemas import (
    ContactOut,
    DeliverableOut,
    FundingOut,
    InvolvementRefOut,
    KpiPointOut,
    LinkOut,
    PartnerOut,
    ProjectDetailOut,
    ProjectKpiOut,
    ProjectOut,
    ProjectPage,
    ProjectTargetOut,
    TimelineOut,
)
from berekraft.api.auth import Public
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors
from berekraft.api.lookups import InvolvementMethod, OrganisationKind, ProjectStatus
from berekraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from berekraft.web import constants
from berekraft.web.selectors.common import Catalogue, series_slug

router = Router(auth=Public(), tags=["action"])
ERRORS = {s: Errors for s in ERROR_STATUSES}
FILTERS = ("member", "goal", "target", "kpi", "status", "partner_kind", "method", "year", "q")
MAX_ID = 999_999_999  # the site's ids (web/params.py): nine digits at most
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
FILTER_FIX = "See /projects/ for the choices, or /api/v1/docs."


class Filters(BaseModel):
    """Query parameters where an empty value is "any", as in the page's filter form (which sends
    ``goal=`` for "All"). A plain pydantic model: ninja's Schema would hand the validator its
    own wrapper of the query, not the dict."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, values: Any) -> Any:
        if isinstance(values, dict):
            return {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}
        return values


class ProjectQuery(Filters):
    """The /projects/ page's filters, by the same names and with the same meaning."""

    member: str | None = Field(None, description="a member's place code, e.g. 5001")
    goal: int | None = Field(None, ge=1, le=17, description="an SDG, named or through one of its targets")
    target: str | None = Field(None, description="an SDG target, e.g. 11.6")
    kpi: str | None = Field(
        None, description="a KPI series, or an indicator (any of its series): slug or code"
    )
    status: ProjectStatus | None = None
    partner_kind: OrganisationKind | None = Field(None, description="the kind of any partner")
    method: InvolvementMethod | None = Field(None, description="a published involvement process's method")
    year: int | None = Field(None, ge=1900, le=2200, description="running in that year")
    q: str | None = Field(None, description="words in the title, description, member or partners")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


def _filters(query: Mapping[str, str]) -> ProjectFilters:
    """The page's own parsing (``parse_filters``); a value it refuses is a 400 that names it."""
    try:
        return parse_filters(query)
    except BadRequest as exc:
        raise ApiError(400, str(exc), where=_culprit(query), fix=FILTER_FIX) from None


def _culprit(query: Mapping[str, str]) -> str:
    """The first filter that ``parse_filters`` refuses on its own."""
    for name in FILTERS:
        try:
            parse_filters({name: query.get(name, "")})
        except BadRequest:
            return name
    return ""


def _query(request: HttpRequest) -> dict[str, str]:
    """The filters as the page reads them from its query; a KPI may also be given by its code
    ("EN: EN: AQ: 1C"), as elsewhere in the API."""
    query = {name: request.GET.get(name, "") for name in FILTERS}
    kpi = query["kpi"].strip()
    if kpi != kpi.lower() or ":" in kpi:
        query["kpi"] = series_slug(kpi) or kpi
    return query


def matching(filters: ProjectFilters, catalogue: Catalogue) -> QuerySet[Project]:
    """The published projects that pass ``filters``, in the page's order (newest start first, or
    best match first for a search); a search of punctuation only finds nothing, as on the page."""
    try:
        projects = filter_projects(published_projects(), filters, catalogue)
    except BadRequest as exc:  # a well-formed KPI slug of no KPI
        raise ApiError(400, str(exc), where="kpi", fix="See /api/v1/indicators.") from None
    if filters.q and not search.has_terms(filters.q):
        return projects.none()
    return projects


def project_out(item: ProjectItem) -> ProjectOut:
    return ProjectOut(**project_fields(item))


def project_fields(item: ProjectItem) -> dict[str, Any]:
    p = item.project
    return {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "member": p.member.code,
        "member_name": p.member.name_nb,
        "status": p.status,
        "progress": p.progress,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "budget_nok": p.budget_nok,
        "goals": item.goals,
        "url": project_path(p.pk),
        "demonstration_data": p.is_demo,
    }


@router.get("/projects", response={200: ProjectPage, **ERRORS})
def projects(request: HttpRequest, q: Query[ProjectQuery]) -> ProjectPage:
    """Published projects, filtered as on /projects/ (the same names and choices; every filter
    given must hold), newest start first, or best match first with ``q``. ``count`` is the number
    that pass the filters, as the page shows it."""
    filters = _filters(_query(request))
    found = matching(filters, constants.catalogue())
    rows, following = paginate(with_links(found), limit=q.limit, cursor=q.cursor)
    return ProjectPage(
        items=[project_out(i) for i in project_items(rows)], next=following, count=found.count()
    )


@router.get("/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS})
def project(request: HttpRequest, project_id: Id) -> ProjectDetailOut:
    """A published project with everything its page shows: goals, SDG targets with their
    official text, the KPIs it aims to move (expected direction, value and year, and the member's
    values since the year before it started), partners with their roles and deliverables,
    funding, links, timeline and citizen involvement; the contact only where the member chose
    to show it. A draft is not found."""
    _network, members = constants.network()
    detail = records.project_detail(pk=project_id, catalogue=constants.catalogue(), members=members)
    p = detail.project
    fields = project_fields(ProjectItem(p, [n for n, _name in detail.goals]))
    fields["demonstration_data"] = detail.has_demo_data
    return ProjectDetailOut(
        **fields,
        description=p.description,
        responsible_unit=p.responsible_unit,
        contact=ContactOut(name=p.contact_name, email=p.contact_email) if detail.contact_shown else None,
        sdg_targets=[
            ProjectTargetOut(goal=t.goal.number, code=t.code, text=text) for t, text in detail.targets
        ],
        kpis=[
            ProjectKpiOut(
                series=k.info.code,
                slug=k.info.slug,
                indicator=k.info.indicator.code,
                name=k.info.name,
                unit=k.info.unit,
                direction=k.info.direction,
                expected=k.link.expected,
                expected_value=k.link.expected_value,
                expected_year=k.link.expected_year,
                points=[
                    KpiPointOut(
                        year=pt.year,
                        value=pt.value,
                        achievement=pt.achievement,
                        band=pt.band,
                        trend=pt.trend,
                        median=pt.median,
                    )
                    for pt in k.series.points
                ],
            )
            for k in detail.kpis
        ],
        partners=[
            PartnerOut(
                organisation=r.organisation.pk,
                name=r.organisation.name,
                kind=r.organisation.kind,
                role=r.partnership.role,
                note=r.partnership.note,
                deliverables=[_deliverable(d) for d in r.deliverables],
            )
            for r in detail.partners
        ],
        deliverables=[_deliverable(d) for d in detail.deliverables],
        funding=[FundingOut(source=f.source, amount_nok=f.amount_nok, note=f.note) for f in detail.funding],
        links=[LinkOut(title=link.title, url=link.url) for link in detail.links],
        timeline=[TimelineOut(date=t.date, text=t.text) for t in detail.timeline],
        involvement=[
            InvolvementRefOut(
                id=i.pk, title=i.title, method=i.method, start_date=i.start_date, participants=i.participants
            )
            for i in detail.involvements
        ],
    )


def _deliverable(d: Any) -> DeliverableOut:
    return DeliverableOut(what=d.what, due_date=d.due_date, status=d.status)
