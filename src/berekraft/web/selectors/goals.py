"""SDG pages: the 17 goals, and per goal members × linked series coloured by band."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext as _

from berekraft.catalogue.models import Goal
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.web.selectors.common import Catalogue, Member, SeriesInfo
from berekraft.web.tables import Column, Table


def _latest_goal_scores(
    place_ids: list[int], code: str | None = None
) -> dict[tuple[int, str], AggregateScore]:
    """(place, goal) → the goal score of the place's latest year."""
    result: dict[tuple[int, str], AggregateScore] = {}
    rows = AggregateScore.objects.filter(level="goal", place_id__in=place_ids)
    if code is not None:
        rows = rows.filter(code=code)
    for a in rows.order_by("-year"):
        result.setdefault((a.place_id, a.code), a)
    return result


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
    scores = _latest_goal_scores([m.place.pk for m in members])
    result = []
    for g in catalogue.goals:
        percents = [
            a.percent for (_p, code), a in scores.items() if code == str(g.number) and a.percent is not None
        ]
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
    score: AggregateScore | None
    cells: list[SeriesScore | None]


@dataclass
class GoalPage:
    goal: Goal
    name: str
    series: list[SeriesInfo]
    rows: list[GoalRow]
    has_demo_data: bool

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


def goal_page(*, goal: Goal, catalogue: Catalogue, members: list[Member], demo: bool) -> GoalPage:
    """Members × the goal's linked series: each cell the band of the member's latest value. 2 queries."""
    linked = [s for s in catalogue.series if goal.number in s.goals]
    place_ids = [m.place.pk for m in members]
    latest: dict[tuple[int, int], SeriesScore] = {}
    for s in SeriesScore.objects.filter(
        place_id__in=place_ids, series_id__in=[s.id for s in linked]
    ).order_by("-year"):
        latest.setdefault((s.place_id, s.series_id), s)
    scores = _latest_goal_scores(place_ids, str(goal.number))
    rows = [
        GoalRow(
            member=m,
            score=scores.get((m.place.pk, str(goal.number))),
            cells=[latest.get((m.place.pk, s.id)) for s in linked],
        )
        for m in members
    ]
    return GoalPage(goal, goal.name(catalogue.language), linked, rows, demo)
