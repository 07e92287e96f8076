"""The members' projects as the reports name them, from the action registers (issue 8): published
projects only, as the public pages read them (``action.selectors``), with the goals they address
(named, or through one of its targets), the KPI series they aim to move and their published partners."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from berekraft.action.models import Partnership, Project
from berekraft.action.selectors import addressing_goal, published_projects
from berekraft.places.models import Place


@dataclass(frozen=True)
class ProjectRef:
    """A project as a report names it: its title, the goals and series it is linked to, and who
    runs it with whom."""

    title: str
    goals: tuple[int, ...]
    series_codes: tuple[str, ...]
    partners: tuple[str, ...] = ()
    member: str = ""
    is_demo: bool = False

    def text(self) -> str:
        """One line: the title, then its KPIs and partners."""
        parts = [self.title]
        if self.series_codes:
            parts.append(", ".join(self.series_codes))
        if self.partners:
            parts.append(", ".join(self.partners))
        return " — ".join(parts)


def _published(places: list[Place]) -> QuerySet[Project]:
    partners = Partnership.objects.filter(organisation__published_at__isnull=False).select_related(
        "organisation"
    )
    return (
        published_projects()
        .filter(member__in=places)
        .select_related("member")
        .prefetch_related(
            "goals", "sdg_targets__goal", "kpis__series", Prefetch("partnerships", queryset=partners)
        )
        .order_by("member__name_nb", "title", "pk")
    )


def _ref(project: Project) -> ProjectRef:
    return ProjectRef(
        title=project.title,
        goals=tuple(
            sorted(
                {g.number for g in project.goals.all()} | {t.goal.number for t in project.sdg_targets.all()}
            )
        ),
        series_codes=tuple(k.series.code for k in project.kpis.all()),
        partners=tuple(p.organisation.name for p in project.partnerships.all()),
        member=project.member.name_nb,
        is_demo=project.is_demo,
    )


def member_projects(
    *, place: Place, series_codes: set[str], goals: set[int] | None = None
) -> list[ProjectRef]:
    """The member's published projects linked to any of ``series_codes`` or addressing one of ``goals``."""
    wanted = Q(kpis__series__code__in=series_codes)
    for number in goals or ():
        wanted |= addressing_goal(number)
    return [_ref(p) for p in _published([place]).filter(wanted).distinct()]


def all_member_projects(*, place: Place) -> list[ProjectRef]:
    """Every published project of the member, with its goals (named or through a target) and
    series: a report that lists projects per goal reads them once and picks by ``goals`` and
    ``series_codes`` (the same rule as ``member_projects``)."""
    return [_ref(p) for p in _published([place])]


def network_projects_by_goal(*, places: list[Place]) -> dict[int, list[ProjectRef]]:
    """The members' published projects per SDG they address (named, or through a target)."""
    by_goal: dict[int, list[ProjectRef]] = {}
    for project in _published(places):
        ref = _ref(project)
        for number in ref.goals:
            by_goal.setdefault(number, []).append(ref)
    return dict(sorted(by_goal.items()))
