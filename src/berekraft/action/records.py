"""Reads for the register's own pages: a project, an organisation, a citizen-involvement process,
and a member's action tab. Published records only: anything else is "not found", and a published
project's unpublished partner or involvement is left out, never shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from berekraft.action.models import (
    Deliverable,
    Funding,
    Involvement,
    Organisation,
    Partnership,
    Priority,
    Project,
    ProjectLink,
    ProjectSeries,
    TimelineEntry,
)
from berekraft.action.selectors import (
    ProjectItem,
    project_columns,
    project_items,
    project_path,
    project_row,
    public_organisations,
    published_projects,
    status_labels,
    with_links,
)
from berekraft.catalogue.models import SdgTarget
from berekraft.errors import NotFoundError
from berekraft.places.models import Place
from berekraft.web.selectors.common import Catalogue, Member, SeriesInfo
from berekraft.web.selectors.member import MemberSeries, member_series
from berekraft.web.tables import Column, Table


def _labels(choices: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in choices}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


FACT_COLUMNS = ("section", "name", "value", "detail")


def _facts_table(name: str, title: str, rows: list[tuple[str, str, Any, Any]], demo: bool) -> Table:
    return Table(
        name,
        title,
        [
            Column("section", _("Section")),
            Column("name", _("Name")),
            Column("value", _("Value")),
            Column("detail", _("Detail")),
        ],
        [dict(zip(FACT_COLUMNS, row, strict=True)) for row in rows],
        demo,
    )


@dataclass
class KpiLink:
    """A KPI series the project aims to move, with the member's values since the year before the
    project started (its baseline); ``spec`` is the chart the view adds."""

    link: ProjectSeries
    info: SeriesInfo
    series: MemberSeries
    spec: dict[str, Any] | None = None


@dataclass
class PartnerRow:
    partnership: Partnership
    organisation: Organisation
    deliverables: list[Deliverable]


@dataclass
class ProjectDetail:
    project: Project
    goals: list[tuple[int, str]]
    targets: list[tuple[SdgTarget, str]]  # target, its official text in the page's language
    kpis: list[KpiLink]
    partners: list[PartnerRow]
    deliverables: list[Deliverable]  # owed by no (published) partner
    funding: list[Funding]
    links: list[ProjectLink]
    timeline: list[TimelineEntry]
    involvements: list[Involvement]
    has_demo_data: bool
    first_year: int | None

    @property
    def contact_shown(self) -> bool:
        p = self.project
        return p.contact_public and bool(p.contact_name or p.contact_email)

    def table(self) -> Table:
        p = self.project
        statuses = status_labels()
        rows: list[tuple[str, str, Any, Any]] = [
            ("project", "title", p.title, None),
            ("project", "member", p.member.name_nb, p.member.code),
            ("project", "summary", p.summary, None),
            ("project", "description", p.description, None),
            ("project", "status", statuses.get(p.status, p.status), p.progress),
            ("project", "start_date", _iso(p.start_date), None),
            ("project", "end_date", _iso(p.end_date), None),
            ("project", "responsible_unit", p.responsible_unit, None),
            ("project", "budget_nok", p.budget_nok, None),
        ]
        if self.contact_shown:
            rows.append(("project", "contact", p.contact_name, p.contact_email))
        sources = _labels(Funding.Source.choices)
        rows += [("funding", sources.get(f.source, f.source), f.amount_nok, f.note) for f in self.funding]
        rows += [("goal", str(n), name, None) for n, name in self.goals]
        rows += [("sdg_target", t.code, text, None) for t, text in self.targets]
        rows += [
            (
                "kpi",
                k.info.code,
                k.link.expected,
                f"{k.link.expected_value or ''} {k.link.expected_year or ''}".strip(),
            )
            for k in self.kpis
        ]
        roles = _labels(Partnership.Role.choices)
        rows += [
            (
                "partner",
                r.organisation.name,
                roles.get(r.partnership.role, r.partnership.role),
                r.organisation.kind,
            )
            for r in self.partners
        ]
        deliverables = [d for r in self.partners for d in r.deliverables] + self.deliverables
        rows += [("deliverable", d.what, d.status, _iso(d.due_date)) for d in deliverables]
        rows += [("timeline", _iso(t.date) or "", t.text, None) for t in self.timeline]
        rows += [("link", link.title, link.url, None) for link in self.links]
        rows += [("involvement", i.title, i.method, _iso(i.start_date)) for i in self.involvements]
        return _facts_table(f"project-{p.pk}", p.title, rows, self.has_demo_data)


def _member_of(place: Place, members: list[Member]) -> Member:
    found = next((m for m in members if m.place.pk == place.pk), None)
    return found or Member(place=place, kind="", left=None, name=place.name_nb)


def project_detail(*, pk: int, catalogue: Catalogue, members: list[Member]) -> ProjectDetail:
    """Everything about one published project. About 10 queries and 2 per linked KPI series."""
    project = (
        published_projects()
        .select_related("member")
        .prefetch_related(
            "goals",
            Prefetch("sdg_targets", SdgTarget.objects.select_related("goal").order_by("order")),
            "funding",
            "links",
            "timeline",
            "kpis",
            Prefetch("partnerships", Partnership.objects.select_related("organisation").order_by("pk")),
            Prefetch("deliverables", Deliverable.objects.order_by("due_date", "pk")),
            Prefetch("involvements", Involvement.objects.filter(published_at__isnull=False)),
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise NotFoundError(f"no published project {pk}")
    language = catalogue.language
    first_year = project.start_date.year if project.start_date else None
    member = _member_of(project.member, members)
    kpis = []
    for link in sorted(project.kpis.all(), key=lambda k: catalogue.by_id[k.series_id].order):
        info = catalogue.by_id[link.series_id]
        series = member_series(member=member, members=members, info=info)
        if first_year is not None:
            series.points = [p for p in series.points if p.year >= first_year - 1]
        kpis.append(KpiLink(link, info, series))
    partners: list[PartnerRow] = []
    shown: set[int] = set()
    deliverables = list(project.deliverables.all())
    # every partner of a published project is public (selectors.public_organisations)
    for ps in project.partnerships.all():
        owed = [d for d in deliverables if d.partnership_id == ps.pk]
        shown |= {d.pk for d in owed}
        partners.append(PartnerRow(ps, ps.organisation, owed))
    goals = {g.number: g for g in project.goals.all()}
    for t in project.sdg_targets.all():
        goals.setdefault(t.goal.number, t.goal)
    return ProjectDetail(
        project=project,
        goals=[(n, goals[n].name(language)) for n in sorted(goals)],
        targets=[(t, t.text(language)) for t in project.sdg_targets.all()],
        kpis=kpis,
        partners=partners,
        deliverables=[d for d in deliverables if d.pk not in shown],
        funding=list(project.funding.all()),
        links=list(project.links.all()),
        timeline=list(project.timeline.all()),
        involvements=list(project.involvements.all()),
        has_demo_data=project.is_demo or any(k.series.has_demo_data for k in kpis),
        first_year=first_year,
    )


@dataclass
class OrganisationProject:
    item: ProjectItem
    roles: list[str]  # labels, in the reader's language
    role_codes: list[str] = field(default_factory=list)  # the same roles as codes (the API's)


@dataclass
class OrganisationPage:
    organisation: Organisation
    projects: list[OrganisationProject]
    has_demo_data: bool

    def table(self) -> Table:
        statuses = status_labels()
        rows = []
        for op in self.projects:
            row = project_row(op.item, statuses)
            row["roles"] = ";".join(op.roles)
            rows.append(row)
        columns = project_columns()
        columns.insert(4, Column("roles", _("Role")))
        return Table(
            f"organisation-{self.organisation.pk}", self.organisation.name, columns, rows, self.has_demo_data
        )


def organisation_page(*, pk: int) -> OrganisationPage:
    """A public organisation (``public_organisations``) and every published project it takes part
    in, in every member, with its roles there. 5 queries."""
    organisation = public_organisations().filter(pk=pk).first()
    if organisation is None:
        raise NotFoundError(f"no published organisation {pk}")
    roles_by_project: dict[int, list[str]] = {}
    labels = _labels(Partnership.Role.choices)
    for project_id, role in Partnership.objects.filter(
        organisation=organisation, project__published_at__isnull=False
    ).values_list("project_id", "role"):
        roles_by_project.setdefault(project_id, []).append(role)
    projects = project_items(
        list(
            with_links(published_projects().filter(pk__in=list(roles_by_project))).order_by(
                "member__name_nb", "-start_date", "pk"
            )
        )
    )
    return OrganisationPage(
        organisation,
        [
            OrganisationProject(
                i, [labels.get(r, r) for r in roles_by_project[i.project.pk]], roles_by_project[i.project.pk]
            )
            for i in projects
        ],
        organisation.is_demo or any(i.project.is_demo for i in projects),
    )


@dataclass
class InvolvementPage:
    involvement: Involvement
    project: Project | None  # the project it was for, when that is published
    groups: list[str]
    has_demo_data: bool

    def table(self) -> Table:
        i = self.involvement
        methods = _labels(Involvement.Method.choices)
        rows: list[tuple[str, str, Any, Any]] = [
            ("involvement", "title", i.title, None),
            ("involvement", "member", i.member.name_nb, i.member.code),
            ("involvement", "method", methods.get(i.method, i.method), i.method),
            ("involvement", "start_date", _iso(i.start_date), None),
            ("involvement", "end_date", _iso(i.end_date), None),
            ("involvement", "participants", i.participants, None),
            ("involvement", "asked", i.asked, None),
            ("involvement", "outcome", i.outcome, None),
            ("involvement", "changes", i.changes, None),
        ]
        rows += [("group", g, g, None) for g in self.groups]
        if self.project is not None:
            rows.append(("project", self.project.title, project_path(self.project.pk), None))
        return _facts_table(f"involvement-{i.pk}", i.title, rows, self.has_demo_data)


def group_labels(codes: Any) -> list[str]:
    """The "leave no one behind" groups of a process, named (an unknown code as it is)."""
    labels = _labels(Involvement.Group.choices)
    return [labels.get(str(c), str(c)) for c in (codes if isinstance(codes, list) else [])]


def involvement_page(*, pk: int) -> InvolvementPage:
    """A published citizen-involvement process. 1 query."""
    found = (
        Involvement.objects.filter(pk=pk, published_at__isnull=False)
        .select_related("member", "project")
        .first()
    )
    if found is None:
        raise NotFoundError(f"no published involvement {pk}")
    project = found.project if found.project and found.project.published_at else None
    return InvolvementPage(found, project, group_labels(found.groups), found.is_demo)


@dataclass
class PriorityRow:
    priority: Priority
    name: str  # the goal's or series' name
    url: str


@dataclass
class MemberAction:
    place: Place
    projects: list[ProjectItem]
    involvements: list[Involvement]
    priorities: list[PriorityRow]
    has_demo_data: bool
    statuses: dict[str, str] = field(default_factory=status_labels)

    def table(self) -> Table:
        methods = _labels(Involvement.Method.choices)
        rows: list[dict[str, Any]] = []
        for item in self.projects:
            p = item.project
            rows.append(
                {
                    "kind": "project",
                    "id": p.pk,
                    "title": p.title,
                    "detail": self.statuses.get(p.status, p.status),
                    "start": _iso(p.start_date),
                    "end": _iso(p.end_date),
                    "url": project_path(p.pk),
                    "demonstration_data": p.is_demo,
                }
            )
        for i in self.involvements:
            rows.append(
                {
                    "kind": "involvement",
                    "id": i.pk,
                    "title": i.title,
                    "detail": methods.get(i.method, i.method),
                    "start": _iso(i.start_date),
                    "end": _iso(i.end_date),
                    "url": f"/involvement/{i.pk}/",
                    "demonstration_data": i.is_demo,
                }
            )
        for r in self.priorities:
            rows.append(
                {
                    "kind": "priority",
                    "id": r.priority.pk,
                    "title": r.name,
                    "detail": r.priority.reason,
                    "start": _iso(r.priority.valid_from),
                    "end": _iso(r.priority.valid_until),
                    "url": r.url,
                    "demonstration_data": r.priority.is_demo,
                }
            )
        return Table(
            f"member-{self.place.code}-action",
            f"{self.place.name_nb}: {_('Action')}",
            [
                Column("kind", _("Register")),
                Column("id", _("Id")),
                Column("title", _("Title")),
                Column("detail", _("Detail")),
                Column("start", _("Start")),
                Column("end", _("End")),
                Column("url", _("Address")),
                Column("demonstration_data", _("Demonstration data")),
            ],
            rows,
            self.has_demo_data,
        )


def member_action(*, place: Place, catalogue: Catalogue) -> MemberAction:
    """A member's published projects, involvement and priorities. 6 queries."""
    projects = project_items(list(with_links(published_projects().filter(member=place))))
    involvements = list(Involvement.objects.filter(member=place, published_at__isnull=False))
    priorities = []
    for pr in Priority.objects.filter(member=place, published_at__isnull=False).select_related("goal"):
        if pr.goal is not None:
            priorities.append(
                PriorityRow(
                    pr, f"{pr.goal.number}. {pr.goal.name(catalogue.language)}", f"/goals/{pr.goal.number}/"
                )
            )
        elif pr.series_id in catalogue.by_id:
            info = catalogue.by_id[pr.series_id]
            priorities.append(PriorityRow(pr, info.name, f"/members/{place.code}/series/{info.slug}/"))
    demo = (
        any(i.project.is_demo for i in projects)
        or any(i.is_demo for i in involvements)
        or any(r.priority.is_demo for r in priorities)
    )
    return MemberAction(place, projects, involvements, priorities, demo)
