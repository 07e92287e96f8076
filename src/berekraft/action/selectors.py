"""Reads of the action registers for the public pages: published records only.

The project list with its filters (member, goal, SDG target, KPI, status, partner kind, involvement
method, year, full-text search). The small reads the measurement pages add ("what members are
doing") are in ``action/doing.py``; the detail pages (project, organisation, involvement, a
member's action tab) in ``action/records.py``.

Filters are ``IN (SELECT …)`` subqueries, never joins, so a project matched twice is listed once and
the count needs no DISTINCT. Each result has a ``table()`` for the .json/.csv twins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import (
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from berekraft.action import search
from berekraft.action.models import (
    ActionHistory,
    Involvement,
    Organisation,
    Partnership,
    Project,
    ProjectSeries,
)
from berekraft.catalogue.models import SdgTarget
from berekraft.observations.models import DataVersion
from berekraft.places.models import Place
from berekraft.scores.models import ScoreRun
from berekraft.web.params import parse_id, parse_year
from berekraft.web.selectors.common import Catalogue, SeriesInfo
from berekraft.web.tables import Column, Table

PER_PAGE = 25
_TARGET_CODE = re.compile(r"[0-9]{1,2}\.[0-9a-z]{1,2}")


def published_projects() -> QuerySet[Project]:
    """Every project the public may see."""
    return Project.objects.filter(published_at__isnull=False)


def public_organisations() -> QuerySet[Organisation]:
    """Every organisation the public may see: published itself, or taking part in a published
    project. An editor who adds a new partner inline and publishes the project publishes the
    partnership; the partner must not stay invisible for want of a second step nobody knows of. Its
    page lists only the published projects (``organisation_page``)."""
    return Organisation.objects.filter(
        Q(published_at__isnull=False)
        | Exists(Partnership.objects.filter(organisation=OuterRef("pk"), project__published_at__isnull=False))
    )


def project_path(pk: int) -> str:
    return f"/projects/{pk}/"


@dataclass(frozen=True)
class ProjectFilters:
    """What the project list is narrowed to; None (or "") is "any"."""

    member: str | None = None  # a place code
    goal: int | None = None
    target: str | None = None  # an SDG target code, "11.6"
    kpi: str | None = None  # a series slug, or an indicator slug (any of its series)
    status: str | None = None
    partner_kind: str | None = None
    method: str | None = None
    year: int | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in self.__dict__.values())


def _bad(name: str, value: str) -> BadRequest:
    return BadRequest(
        _("%(name)s: %(value)r is not one of the choices") % {"name": name, "value": value[:40]}
    )


def parse_filters(query: Any) -> ProjectFilters:
    """The filters of a query (``request.GET``); a value that is none of the choices is a 400 that
    names the parameter. The search text is kept as written (cut to ``search.MAX_QUERY``)."""

    def text(name: str) -> str | None:
        value = str(query.get(name, "")).strip()
        return value or None

    member = text("member")
    if member is not None and not re.fullmatch(r"[0-9A-Za-z]{1,10}", member):
        raise _bad("member", member)
    goal_text = text("goal")
    goal = parse_id(goal_text) if goal_text else None
    if goal_text and (goal is None or goal > 17):
        raise _bad("goal", goal_text)
    target = text("target")
    if target is not None and not _TARGET_CODE.fullmatch(target.lower()):
        raise _bad("target", target)
    kpi = text("kpi")
    if kpi is not None and not re.fullmatch(r"[a-z0-9-]{1,80}", kpi):
        raise _bad("kpi", kpi)
    status = text("status")
    if status is not None and status not in Project.Status.values:
        raise _bad("status", status)
    kind = text("partner_kind")
    if kind is not None and kind not in Organisation.Kind.values:
        raise _bad("partner_kind", kind)
    method = text("method")
    if method is not None and method not in Involvement.Method.values:
        raise _bad("method", method)
    year_text = text("year")
    year = parse_year(year_text) if year_text else None
    if year_text and year is None:
        raise _bad("year", year_text)
    return ProjectFilters(
        member=member,
        goal=goal,
        target=target.lower() if target else None,
        kpi=kpi,
        status=status,
        partner_kind=kind,
        method=method,
        year=year,
        q=search.clean_query(text("q")),
    )


def kpi_series_ids(catalogue: Catalogue, slug: str) -> list[int]:
    """The series a ``kpi`` filter means: one series by its slug, or every series of an indicator
    by the indicator's slug. A 400 when it is neither."""
    if slug in catalogue.by_slug:
        return [catalogue.by_slug[slug].id]
    ids = [s.id for s in catalogue.series if s.indicator_slug == slug]
    if not ids:
        raise _bad("kpi", slug)
    return ids


def addressing_goal(number: int) -> Q:
    """Projects that address SDG ``number``: named as a goal, or through one of its targets."""
    named = Project.goals.through.objects.filter(goal__number=number).values("project_id")
    through_target = Project.sdg_targets.through.objects.filter(sdgtarget__goal__number=number)
    return Q(pk__in=named) | Q(pk__in=through_target.values("project_id"))


def filter_projects(
    projects: QuerySet[Project], filters: ProjectFilters, catalogue: Catalogue
) -> QuerySet[Project]:
    """``projects`` narrowed by every filter set. A project "runs in" a year when its dates overlap
    it: started by the year's end and not ended before it began (no end: still running); a project
    without a start date runs in no year. Each filter on a linked table is an uncorrelated
    ``IN (SELECT project_id …)``: the database finds the matching ids once, not once per project."""
    f = filters
    if f.member:
        projects = projects.filter(member__code=f.member)
    if f.goal:
        projects = projects.filter(addressing_goal(f.goal))
    if f.target:
        targets = Project.sdg_targets.through.objects.filter(sdgtarget__code=f.target)
        projects = projects.filter(pk__in=targets.values("project_id"))
    if f.kpi:
        ids = kpi_series_ids(catalogue, f.kpi)
        projects = projects.filter(
            pk__in=ProjectSeries.objects.filter(series_id__in=ids).values("project_id")
        )
    if f.status:
        projects = projects.filter(status=f.status)
    if f.partner_kind:
        # every partner of a published project is public (public_organisations)
        partners = Partnership.objects.filter(organisation__kind=f.partner_kind)
        projects = projects.filter(pk__in=partners.values("project_id"))
    if f.method:
        involved = Involvement.objects.filter(
            method=f.method, published_at__isnull=False, project__isnull=False
        )
        projects = projects.filter(pk__in=involved.values("project_id"))
    if f.year:
        projects = projects.filter(start_date__lte=date(f.year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date(f.year, 1, 1))
        )
    if f.q and search.has_terms(f.q):
        projects = search.search(projects, f.q)
    return projects


@dataclass
class ProjectItem:
    """One project as a list shows it."""

    project: Project
    goals: list[int]

    @property
    def member(self) -> Place:
        return self.project.member


# The columns a list shows (project_item.html, project_row): the description and the rest stay in
# the table, so the database sorts and pages narrow rows.
LIST_FIELDS = (
    "title",
    "summary",
    "status",
    "progress",
    "start_date",
    "end_date",
    "budget_nok",
    "is_demo",
    "published_at",
    "member__code",
    "member__name_nb",
)


def with_links(projects: QuerySet[Project]) -> QuerySet[Project]:
    """``projects`` with their member, reading only the listed columns (``project_items`` adds
    the goals)."""
    return projects.select_related("member").only(*LIST_FIELDS)


def goals_of(ids: list[int]) -> dict[int, list[int]]:
    """The goals each of the projects ``ids`` addresses, named or through one of its targets, as
    sorted numbers. Two narrow queries: a prefetch of the links would build a model instance and
    a queryset per project and link, which cost seconds for a twin's thousands of projects."""
    found: dict[int, set[int]] = {}
    named = Project.goals.through.objects.filter(project_id__in=ids).values_list("project_id", "goal__number")
    through_target = Project.sdg_targets.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "sdgtarget__goal__number"
    )
    for pk, number in [*named, *through_target]:
        found.setdefault(pk, set()).add(number)
    return {pk: sorted(numbers) for pk, numbers in found.items()}


def project_items(projects: list[Project]) -> list[ProjectItem]:
    """Projects with the goals they address (named, or through a target)."""
    goals = goals_of([p.pk for p in projects]) if projects else {}
    return [ProjectItem(p, goals.get(p.pk, [])) for p in projects]


def project_items_all(projects: QuerySet[Project], chunk: int = 2000) -> list[ProjectItem]:
    """Every project of ``projects`` as items, read ``chunk`` at a time (the goals of a chunk are
    asked for by its ids, so no query grows past ``chunk`` parameters)."""
    items: list[ProjectItem] = []
    batch: list[Project] = []
    for project in with_links(projects).iterator(chunk_size=chunk):
        batch.append(project)
        if len(batch) == chunk:
            items.extend(project_items(batch))
            batch = []
    items.extend(project_items(batch))
    return items


@dataclass
class Options:
    """The choices of the filter form."""

    members: list[Place]
    goals: list[tuple[int, str]]
    targets: list[str]
    series: list[SeriesInfo]
    years: list[int]

    # The same as (value, label) pairs for the form's <select>s, made once with the options (which
    # the page keeps per register change) rather than per request.
    @cached_property
    def choices(self) -> dict[str, list[tuple[str, str]]]:
        return {
            "member": [(m.code, m.name_nb) for m in self.members],
            "goal": [(str(n), f"{n}. {name}") for n, name in self.goals],
            "target": [(t, t) for t in self.targets],
            "kpi": [(s.slug, f"{s.code} {Truncator(s.name).chars(60)}") for s in self.series],
            "year": [(str(y), str(y)) for y in self.years],
        }


@dataclass
class ProjectList:
    filters: ProjectFilters
    items: list[ProjectItem]
    count: int
    page: int
    pages: int
    options: Options
    has_demo_data: bool
    language: str = "nb"
    status_labels: dict[str, str] = field(default_factory=dict)

    def table(self) -> Table:
        return Table(
            "projects",
            _("Projects"),
            project_columns(),
            [project_row(i, self.status_labels) for i in self.items],
            self.has_demo_data,
        )


def project_columns() -> list[Column]:
    return [
        Column("id", _("Id")),
        Column("title", _("Title")),
        Column("member_code", _("Code")),
        Column("member", _("Member")),
        Column("status", _("Status")),
        Column("progress", _("Progress, %")),
        Column("start_date", _("Start")),
        Column("end_date", _("End")),
        Column("budget_nok", _("Budget (NOK)")),
        Column("goals", _("SDGs")),
        Column("summary", _("Summary")),
        Column("url", _("Address")),
        Column("demonstration_data", _("Demonstration data")),
    ]


def project_row(item: ProjectItem, status_labels: dict[str, str]) -> dict[str, Any]:
    p = item.project
    return {
        "id": p.pk,
        "title": p.title,
        "member_code": p.member.code,
        "member": p.member.name_nb,
        "status": status_labels.get(p.status, p.status),
        "progress": p.progress,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "budget_nok": p.budget_nok,
        "goals": ";".join(str(g) for g in item.goals),
        "summary": p.summary,
        "url": project_path(p.pk),
        "demonstration_data": p.is_demo,
    }


def status_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Project.Status.choices}


def filter_options(catalogue: Catalogue) -> Options:
    """Members with a published project, goals, the 169 targets, the KPI series, and the years in
    which a published project runs. 3 queries."""
    published = published_projects()
    members = list(
        Place.objects.filter(pk__in=published.values("member_id")).only("code", "name_nb").order_by("name_nb")
    )
    span = published.aggregate(
        first=Min("start_date"), last_start=Max("start_date"), last_end=Max("end_date")
    )
    years: list[int] = []
    if span["first"]:
        last = max(d for d in (span["last_start"], span["last_end"]) if d is not None)
        years = list(range(span["first"].year, last.year + 1))
    return Options(
        members=members,
        goals=[(g.number, g.name(catalogue.language)) for g in catalogue.goals],
        targets=list(SdgTarget.objects.order_by("order").values_list("code", flat=True)),
        series=catalogue.series,
        years=years,
    )


@dataclass(frozen=True)
class ListConstants:
    """What the project list shows whatever the filters: the form's choices and whether any
    published project is demonstration data. Changes only with the registers, so the page keeps it
    per register change (``web/constants.py``)."""

    options: Options
    has_demo_data: bool


def list_constants(catalogue: Catalogue) -> ListConstants:
    return ListConstants(filter_options(catalogue), published_projects().filter(is_demo=True).exists())


def project_list(
    *,
    filters: ProjectFilters,
    catalogue: Catalogue,
    page: int | None = 1,
    constants: ListConstants | None = None,
) -> ProjectList:
    """The published projects that pass ``filters``, one page of PER_PAGE (newest start first, or
    best match first for a search), with the form's choices. A page past the last is the last.
    ``page=None`` (the .json/.csv twins): every matching project, read in chunks with their links.
    About 8 queries, whatever the number of projects; 3 with ``constants`` given (a page)."""
    fixed = constants or list_constants(catalogue)
    projects = filter_projects(published_projects(), filters, catalogue)
    if filters.q and not search.has_terms(filters.q):
        projects = projects.none()
    if page is None:
        every = project_items_all(projects)
        count, number, pages = len(every), 1, 1
    else:
        paginator = Paginator(with_links(projects), PER_PAGE)
        shown = paginator.get_page(page)
        every = project_items(list(shown.object_list))
        count, number, pages = paginator.count, shown.number, paginator.num_pages
    return ProjectList(
        filters=filters,
        items=every,
        count=count,
        page=number,
        pages=pages,
        options=fixed.options,
        has_demo_data=fixed.has_demo_data,
        language=catalogue.language,
        status_labels=status_labels(),
    )


def public_state() -> tuple[tuple[int, int, int, int], datetime] | None:
    """What the public pages show changes with a score run, a change of the published values
    (the data version: the scores are being updated until a run has read it) or a change of the
    registers (a project published, edited or unpublished: every change leaves a history row).
    (latest score run id, latest register change id, the data version that run read, the data
    version now) and the later of the run's and the change's times: the pages' ETag,
    Last-Modified and cache key (web/runs.py), so a page is never answered "not modified" after a
    project was published or a value verified. 1 query (2 before the first score run)."""
    changes = ActionHistory.objects.order_by("-pk")
    now = DataVersion.objects.filter(pk=1).values("version")[:1]
    row = (
        ScoreRun.objects.order_by("-pk")
        .annotate(
            change=Subquery(changes.values("pk")[:1]),
            change_at=Subquery(changes.values("changed_at")[:1]),
            now=Subquery(now),
        )
        .values_list("pk", "finished_at", "change", "change_at", "data_version", "now")
        .first()
    )
    if row is None:
        change = changes.values_list("pk", "changed_at").first()
        return ((0, change[0], -1, 0), change[1]) if change else None
    run, finished, change_id, change_at, read, version = row
    return (run, change_id or 0, read, version or 0), max(t for t in (finished, change_at) if t is not None)
