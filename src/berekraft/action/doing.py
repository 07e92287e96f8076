"""What members are doing: the small reads of the action registers that the measurement pages
add — published projects on a KPI series or a goal (this member's first), and counts per series
and per goal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When

from berekraft.action.models import Project, ProjectSeries
from berekraft.action.selectors import (
    ProjectItem,
    addressing_goal,
    published_projects,
)
from berekraft.places.models import Place
from berekraft.web.selectors.common import Catalogue


@dataclass
class Doing:
    """Published projects on a KPI series (or goal): ``own`` the member's, ``others`` the rest."""

    own: list[ProjectItem]
    others: list[ProjectItem]
    total: int
    more_url: str

    @property
    def all(self) -> list[ProjectItem]:
        return self.own + self.others


DOING_LIMIT = 12


def _doing(projects: QuerySet[Project], member: Place | None, more_url: str) -> Doing:
    """The member's projects first, then other members' (by member, newest first), at most
    DOING_LIMIT of each, and how many there are. 2 queries."""
    total = projects.count()
    mine = Case(When(member=member, then=Value(0)), default=Value(1)) if member else Value(1)
    shown = list(
        projects.select_related("member")
        .annotate(mine=mine)
        .order_by("mine", "member__name_nb", "-start_date", "pk")[: 2 * DOING_LIMIT]
    )
    own = [ProjectItem(p, []) for p in shown if member is not None and p.member_id == member.pk]
    others = [ProjectItem(p, []) for p in shown if member is None or p.member_id != member.pk]
    return Doing(own[:DOING_LIMIT], others[:DOING_LIMIT], total, more_url)


def doing_on_series(*, series_ids: list[int], slug: str, member: Place | None = None) -> Doing:
    """Published projects that aim to move any of ``series_ids``."""
    projects = published_projects().filter(
        pk__in=ProjectSeries.objects.filter(series_id__in=series_ids).values("project_id")
    )
    return _doing(projects, member, f"/projects/?kpi={slug}")


def doing_on_goal(*, number: int, member: Place | None = None) -> Doing:
    """Published projects that address SDG ``number``."""
    return _doing(published_projects().filter(addressing_goal(number)), member, f"/projects/?goal={number}")


@dataclass(frozen=True)
class SeriesCount:
    """Published projects on one series: in the whole network, and of this member."""

    total: int
    own: int


def series_counts(*, member: Place) -> dict[int, SeriesCount]:
    """Series id → published projects that aim to move it (all members, and ``member``'s). One
    aggregate query, whatever the number of projects: the profile's query count does not grow."""
    rows = (
        ProjectSeries.objects.filter(project__published_at__isnull=False)
        .values("series_id")
        .annotate(
            total=Count("project_id", distinct=True),
            own=Count("project_id", filter=Q(project__member=member), distinct=True),
        )
    )
    return {r["series_id"]: SeriesCount(r["total"], r["own"]) for r in rows}


@dataclass(frozen=True)
class GoalCount:
    number: int
    name: str
    projects: int


def goal_counts(*, catalogue: Catalogue) -> list[GoalCount]:
    """Each goal with the number of published projects that address it (named, or through a
    target). 1 query."""
    named = Project.goals.through.objects.filter(project__published_at__isnull=False).values_list(
        "goal__number", "project_id"
    )
    through_target = Project.sdg_targets.through.objects.filter(
        project__published_at__isnull=False
    ).values_list("sdgtarget__goal__number", "project_id")
    pairs = named.union(through_target)  # UNION: a project named under a goal and a target counts once
    counts: dict[int, int] = {}
    for number, _project in pairs:
        counts[number] = counts.get(number, 0) + 1
    return [GoalCount(g.number, g.name(catalogue.language), counts.get(g.number, 0)) for g in catalogue.goals]
