"""SDG pages: the 17 goals, and per goal members × linked series coloured by band."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from berekraft.catalogue.models import Goal
from berekraft.scores.models import LatestAggregateScore
from berekraft.web.selectors.common import MEMBERS_PER_PAGE, Catalogue, Member, SeriesInfo, members_page
from berekraft.web.selectors.latest import latest_aggregates, latest_values
from berekraft.web.tables import Column, Table


def _latest_goal_scores(
    place_ids: list[int], codes: list[str]
) -> dict[tuple[int, str], LatestAggregateScore]:
    """(place, goal) → the goal score of the place's latest year (only those rows are read)."""
    rows = latest_aggregates(level="goal", codes=codes, place_ids=place_ids)
    return {(a.place_id, a.code): a for a in rows}


class Cell(NamedTuple):
    """A heat-map cell: the band of a member's latest value of a series."""

    points: int | None


# Members per page of a goal's heat map (the twins carry every member).
GOAL_PAGE_MEMBERS = MEMBERS_PER_PAGE


@dataclass
class GoalSummary:
    goal: Goal
    name: str
    series: int
    scored_members: int
    median: float | None


@dataclass
class GoalsIndex:
    goals: list[GoalSummary]
    has_demo_data: bool

    def table(self) -> Table:
        return Table(
            "goals",
            _("Sustainable Development Goals"),
            [
                Column("goal", _("Goal")),
                Column("name", _("Name")),
                Column("series", _("Linked series")),
                Column("scored_members", _("Members scored")),
                Column("median", _("Network median, % of target")),
            ],
            [
                {
                    "goal": g.goal.number,
                    "name": g.name,
                    "series": g.series,
                    "scored_members": g.scored_members,
                    "median": g.median,
                }
                for g in self.goals
            ],
            self.has_demo_data,
        )


def goals_index(*, catalogue: Catalogue, members: list[Member], demo: bool) -> GoalsIndex:
    """Each goal with its number of linked series and the network median of the members' latest
    goal scores. 1 query."""
    percents_of: dict[str, list[float]] = {}
    rows = latest_aggregates(
        level="goal", codes=[str(g.number) for g in catalogue.goals], place_ids=[m.place.pk for m in members]
    )
    for code, percent in rows.values_list("code", "percent"):
        if percent is not None:
            percents_of.setdefault(code, []).append(percent)
    result = []
    for g in catalogue.goals:
        percents = percents_of.get(str(g.number), [])
        result.append(
            GoalSummary(
                goal=g,
                name=g.name(catalogue.language),
                series=sum(1 for s in catalogue.series if g.number in s.goals),
                scored_members=len(percents),
                median=statistics.median(percents) if percents else None,
            )
        )
    return GoalsIndex(result, demo)


@dataclass
class GoalRow:
    member: Member
    score: LatestAggregateScore | None
    cells: list[Cell | None]


@dataclass
class GoalPage:
    goal: Goal
    name: str
    series: list[SeriesInfo]
    rows: list[GoalRow]
    has_demo_data: bool
    page: int = 1
    pages: int = 1

    def table(self) -> Table:
        columns = [
            Column("code", _("Code")),
            Column("name", _("Member")),
            Column("goal_score", _("Goal score, % of target")),
            Column("goal_band", _("Goal band")),
        ]
        columns += [Column(s.code, f"{s.code} {s.name}") for s in self.series]
        rows = []
        for r in self.rows:
            row: dict[str, object] = {
                "code": r.member.code,
                "name": r.member.name,
                "goal_score": r.score.percent if r.score else None,
                "goal_band": r.score.band if r.score else None,
            }
            for s, cell in zip(self.series, r.cells, strict=True):
                row[s.code] = cell.points if cell and cell.points else None
            rows.append(row)
        return Table(
            f"goal-{self.goal.number}",
            f"SDG {self.goal.number}: {self.name}",
            columns,
            rows,
            self.has_demo_data,
        )


def goal_page(
    *, goal: Goal, catalogue: Catalogue, members: list[Member], demo: bool, page: int | None = None
) -> GoalPage:
    """Members × the goal's linked series: each cell the band of the member's latest value. With
    ``page``, only that page of GOAL_PAGE_MEMBERS members (the HTML page); without, every member
    (the twins). Reads only the cells shown. 2 queries."""
    linked = [s for s in catalogue.series if goal.number in s.goals]
    pages = max(1, -(-len(members) // GOAL_PAGE_MEMBERS))
    if page is not None:
        shown = members_page(members, page)
        members, page, pages = shown.members, shown.page, shown.pages
    place_ids = [m.place.pk for m in members]
    latest = {
        (place_id, series_id): Cell(points)
        for place_id, series_id, points in latest_values(
            place_ids=place_ids, series_ids=[s.id for s in linked]
        ).values_list("place_id", "series_id", "points")
    }
    scores = _latest_goal_scores(place_ids, [str(goal.number)])
    rows = [
        GoalRow(
            member=m,
            score=scores.get((m.place.pk, str(goal.number))),
            cells=[latest.get((m.place.pk, s.id)) for s in linked],
        )
        for m in members
    ]
    return GoalPage(goal, goal.name(catalogue.language), linked, rows, demo, page or 1, pages)
