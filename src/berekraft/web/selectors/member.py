"""A member's profile and one series of a member over time: stored scores only."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from berekraft.catalogue.models import Goal
from berekraft.observations.models import Observation
from berekraft.places.models import Place
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.web.selectors.common import (
    NETWORK_MINIMUM,
    Catalogue,
    Member,
    SeriesInfo,
    headline_year,
    target_sources,
)
from berekraft.web.selectors.latest import latest_series_scores
from berekraft.web.tables import Column, Table


@dataclass
class ProfileRow:
    info: SeriesInfo
    score: SeriesScore | None
    status: str = ""
    quality: str = ""
    source: str = ""
    is_demo: bool = False
    target_source: str = ""


@dataclass
class CategoryBlock:
    code: str
    name: str
    score: AggregateScore | None
    rows: list[ProfileRow] = field(default_factory=list)


@dataclass
class DimensionBlock:
    code: str
    name: str
    score: AggregateScore | None
    categories: list[CategoryBlock] = field(default_factory=list)


@dataclass
class GoalTile:
    goal: Goal
    name: str
    score: AggregateScore | None


@dataclass
class Focus:
    low: list[ProfileRow]
    deteriorating: list[ProfileRow]
    not_reported: list[SeriesInfo]


@dataclass
class MemberProfile:
    place: Place
    year: int | None
    overall: AggregateScore | None
    dimensions: list[DimensionBlock]
    goals: list[GoalTile]
    focus: Focus
    aggregates: dict[tuple[str, str], AggregateScore]
    has_demo_data: bool
    partial_year: int | None = None  # a later year with fewer values than the headline year
    partial_count: int = 0
    series_count: int = 0

    @property
    def rows(self) -> list[ProfileRow]:
        return [r for d in self.dimensions for c in d.categories for r in c.rows]

    def table(self) -> Table:
        columns = [
            Column("code", _("Code")),
            Column("dimension", _("Dimension")),
            Column("category", _("Category")),
            Column("name", _("KPI")),
            Column("unit", _("Unit")),
            Column("year", _("Year")),
            Column("value", _("Value")),
            Column("target", _("Target")),
            Column("target_lower", _("Target from")),
            Column("target_upper", _("Target to")),
            Column("target_year", _("Target year")),
            Column("target_scope", _("Target set by")),
            Column("target_source", _("Target source")),
            Column("achievement", _("% of target")),
            Column("band", _("Band")),
            Column("trend", _("Trend")),
            Column("network_index", _("Network index")),
            Column("rank", _("Rank")),
            Column("status", _("Status")),
            Column("quality", _("Quality")),
            Column("source", _("Source")),
            Column("demonstration_data", _("Demonstration data")),
        ]
        rows = []
        for r in self.rows:
            s = r.score
            rows.append(
                {
                    "code": r.info.code,
                    "dimension": r.info.dimension,
                    "category": r.info.category,
                    "name": r.info.name,
                    "unit": r.info.unit,
                    "year": s.year if s else None,
                    "value": s.value if s else None,
                    "target": s.target if s else None,
                    "target_lower": s.target_lower if s else None,
                    "target_upper": s.target_upper if s else None,
                    "target_year": s.target_year if s else None,
                    "target_scope": s.target_scope if s else "",
                    "target_source": r.target_source,
                    "achievement": s.achievement if s else None,
                    "band": s.points if s else None,
                    "trend": s.trend if s else "",
                    "network_index": s.network_index if s else None,
                    "rank": s.rank if s else None,
                    "status": r.status,
                    "quality": r.quality,
                    "source": r.source,
                    "demonstration_data": r.is_demo,
                }
            )
        return Table(
            name=f"member-{self.place.code}",
            title=f"{self.place.name_nb} ({self.place.code})",
            columns=columns,
            rows=rows,
            demo=self.has_demo_data,
        )


def member_profile(*, place: Place, catalogue: Catalogue, year: int | None = None) -> MemberProfile:
    """Each series' latest published value and its score, with the status, quality and source of
    that very value; the headline scores (wheel, goals, dimensions, overall) for the latest year with
    enough values (``headline_year``), and a later partial year named with its count. With ``year``,
    the profile as it stood for that year: only values of ``year`` and before (the reports and the
    page's ``?year=``). Local indicators are left out (their own section). 4 queries."""
    series_ids = [i.id for i in catalogue.series]
    latest = {
        s.series_id: s
        for s in latest_series_scores(place_ids=[place.pk], series_ids=series_ids, up_to_year=year)
    }
    counted = SeriesScore.objects.filter(place=place, series_id__in=series_ids)
    if year is not None:
        counted = counted.filter(year__lte=year)
    reported: dict[int, int] = dict(
        counted.values("year").annotate(n=Count("id")).values_list("year", "n").order_by()
    )
    year = headline_year(reported)  # from here: the headline year within the years asked for
    last = max(reported, default=None)
    shown = {(s.series_id, s.year) for s in latest.values()}
    observations = {
        (o.series_id, o.year): o
        # The published version only: a draft's source or status is not public.
        for o in Observation.objects.filter(
            place=place, year__in={y for _s, y in shown}, published_value__isnull=False
        ).only("series_id", "year", "published_quality", "published_source", "published_origin")
        if (o.series_id, o.year) in shown
    }
    sources = target_sources(place=place)
    aggregates = (
        {(a.level, a.code): a for a in AggregateScore.objects.filter(place=place, year=year)} if year else {}
    )
    dims = {
        n.code: DimensionBlock(n.code, n.name(catalogue.language), aggregates.get(("dimension", n.code)))
        for n in catalogue.level("dimension")
    }
    cats: dict[str, CategoryBlock] = {}
    for n in catalogue.level("category"):
        block = CategoryBlock(n.code, n.name(catalogue.language), aggregates.get(("category", n.code)))
        cats[n.code] = block
    for info in catalogue.series:
        score = latest.get(info.id)
        obs = observations.get((info.id, score.year)) if score else None
        row = ProfileRow(
            info=info,
            score=score,
            status=Observation.Status.VERIFIED if obs else "",
            quality=obs.published_quality if obs else "",
            source=obs.published_source if obs else "",
            is_demo=bool(obs and obs.published_origin == Observation.Origin.DEMO),
            target_source=sources.get((info.id, score.target_scope), "") if score else "",
        )
        cats[info.category].rows.append(row)
    dimension_of = {info.category: info.dimension for info in catalogue.series}
    for code, block in cats.items():
        if block.rows and dimension_of.get(code) in dims:
            dims[dimension_of[code]].categories.append(block)
    profile_rows = [r for c in cats.values() for r in c.rows]
    focus = Focus(
        low=[r for r in profile_rows if r.score and r.score.year >= (year or 0) and r.score.points in (1, 2)],
        deteriorating=[r for r in profile_rows if r.score and r.score.trend == "deterioration"],
        not_reported=[r.info for r in profile_rows if r.score is None or r.score.year < (year or 0)],
    )
    goals = [
        GoalTile(g, g.name(catalogue.language), aggregates.get(("goal", str(g.number))))
        for g in catalogue.goals
    ]
    return MemberProfile(
        place=place,
        year=year,
        overall=aggregates.get(("overall", "all")),
        dimensions=list(dims.values()),
        goals=goals,
        focus=focus,
        aggregates=aggregates,
        has_demo_data=any(r.is_demo for r in profile_rows),
        partial_year=last if last is not None and last != year else None,
        partial_count=reported.get(last, 0) if last is not None and last != year else 0,
        series_count=len(catalogue.series),
    )


@dataclass
class YearPoint:
    year: int
    value: float | None
    target: float | None
    target_lower: float | None
    target_upper: float | None
    median: float | None
    low: float | None
    high: float | None
    count: int
    achievement: float | None
    band: int | None
    trend: str


@dataclass
class MemberSeries:
    member: Member
    info: SeriesInfo
    points: list[YearPoint]
    has_demo_data: bool

    def table(self) -> Table:
        return Table(
            name=f"member-{self.member.code}-{self.info.slug}",
            title=f"{self.member.name}: {self.info.name} ({self.info.unit})",
            columns=[
                Column("year", _("Year")),
                Column("value", _("Value")),
                Column("target", _("Target")),
                Column("target_lower", _("Target from")),
                Column("target_upper", _("Target to")),
                Column("achievement", _("% of target")),
                Column("band", _("Band")),
                Column("trend", _("Trend")),
                Column("median", _("Network median")),
                Column("low", _("Network lowest")),
                Column("high", _("Network highest")),
                Column("count", _("Members reporting")),
            ],
            rows=[p.__dict__ for p in self.points],
            demo=self.has_demo_data,
        )


def member_series(*, member: Member, members: list[Member], info: SeriesInfo) -> MemberSeries:
    """One member's values of one series by year, with its target and the network's median and
    range (lowest–highest) among members reporting that year; no network figures for a year in
    which fewer than NETWORK_MINIMUM members report (one member's value is not a median). 3 queries."""
    place_ids = [m.place.pk for m in members]
    by_year: dict[int, list[float]] = {}
    # Every member's values (values, not instances: members × years of them), and the member's
    # own scores of the years (a handful of fields of 30 rows).
    for year, value in SeriesScore.objects.filter(series_id=info.id, place_id__in=place_ids).values_list(
        "year", "value"
    ):
        by_year.setdefault(year, []).append(value)
    own = {
        s.year: s
        for s in SeriesScore.objects.filter(series_id=info.id, place=member.place).only(
            "year", "value", "target", "target_lower", "target_upper", "achievement", "points", "trend"
        )
    }
    points = []
    for year in sorted(by_year):
        values = by_year[year]
        mine = own.get(year)
        points.append(
            YearPoint(
                year=year,
                value=mine.value if mine else None,
                target=mine.target if mine else None,
                target_lower=mine.target_lower if mine else None,
                target_upper=mine.target_upper if mine else None,
                median=statistics.median(values) if len(values) >= NETWORK_MINIMUM else None,
                low=min(values) if len(values) >= NETWORK_MINIMUM else None,
                high=max(values) if len(values) >= NETWORK_MINIMUM else None,
                count=len(values),
                achievement=mine.achievement if mine else None,
                band=mine.points if mine else None,
                trend=mine.trend if mine else "",
            )
        )
    demo = Observation.objects.filter(
        place=member.place, series_id=info.id, published_origin=Observation.Origin.DEMO
    ).exists()
    return MemberSeries(member=member, info=info, points=points, has_demo_data=demo)
