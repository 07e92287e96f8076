"""Reads for pages and exports: stored scores only, a bounded number of queries per call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from berekraft.catalogue.models import FrameworkNode, Series, Target
from berekraft.observations.models import Observation
from berekraft.places.models import Network, Place
from berekraft.scores.models import AggregateScore, SeriesScore

DIMENSIONS = ("EC", "EN", "SC")


@dataclass
class MemberSummary:
    place: Place
    kind: str
    left: Any
    year: int | None
    dimensions: dict[str, AggregateScore | None]
    overall: AggregateScore | None


@dataclass
class NetworkOverview:
    network: Network
    members: list[MemberSummary]
    dimension_names: dict[str, str]
    has_demo_data: bool


def _names(level: str, language: str) -> dict[str, str]:
    return {n.code: n.name(language) for n in FrameworkNode.objects.filter(level=level)}


def network_overview(*, network: Network, language: str = "nb") -> NetworkOverview:
    """Every member with its three dimension scores and overall score for its latest scored year."""
    memberships = list(network.memberships.select_related("place").order_by("kind", "place__name_nb"))
    place_ids = [m.place_id for m in memberships]
    latest = dict(
        AggregateScore.objects.filter(place_id__in=place_ids, level="overall")
        .values_list("place_id")
        .annotate(year=Max("year"))
    )
    aggregates: dict[tuple[int, str], AggregateScore] = {}
    for a in AggregateScore.objects.filter(place_id__in=place_ids, level__in=("dimension", "overall")):
        if latest.get(a.place_id) == a.year:
            aggregates[(a.place_id, a.code)] = a
    members = [
        MemberSummary(
            place=m.place,
            kind=m.kind,
            left=m.left,
            year=latest.get(m.place_id),
            dimensions={d: aggregates.get((m.place_id, d)) for d in DIMENSIONS},
            overall=aggregates.get((m.place_id, "all")),
        )
        for m in memberships
    ]
    return NetworkOverview(
        network=network,
        members=members,
        dimension_names=_names("dimension", language),
        has_demo_data=Observation.objects.filter(
            origin=Observation.Origin.DEMO, place_id__in=place_ids
        ).exists(),
    )


@dataclass
class KpiRow:
    series: Series
    name: str
    unit: str
    score: SeriesScore
    target_source: str
    status: str
    quality: str
    source: str
    is_demo: bool


@dataclass
class CategoryGroup:
    node: FrameworkNode
    name: str
    score: AggregateScore | None
    rows: list[KpiRow] = field(default_factory=list)


@dataclass
class DimensionGroup:
    node: FrameworkNode
    name: str
    score: AggregateScore | None
    categories: list[CategoryGroup] = field(default_factory=list)


@dataclass
class MemberProfile:
    place: Place
    year: int | None
    overall: AggregateScore | None
    dimensions: list[DimensionGroup]
    has_demo_data: bool


def member_profile(*, place: Place, language: str = "nb") -> MemberProfile:
    """Each KPI series' latest stored score, grouped by dimension and category."""
    scores = SeriesScore.objects.filter(place=place).order_by("series_id", "-year")
    latest: dict[int, SeriesScore] = {}
    for s in scores:
        latest.setdefault(s.series_id, s)
    observations = {
        (o.series_id, o.year): o
        for o in Observation.objects.filter(place=place).only(
            "series_id", "year", "status", "quality", "source", "origin"
        )
    }
    series = {s.id: s for s in Series.objects.select_related("indicator")}
    target_sources = {
        (t.series_id, t.scope, t.place_id): t.source
        for t in Target.objects.only("series_id", "scope", "place_id", "source")
    }
    year = max((s.year for s in latest.values()), default=None)
    aggregates = (
        {(a.level, a.code): a for a in AggregateScore.objects.filter(place=place, year=year)} if year else {}
    )
    nodes = list(FrameworkNode.objects.all())
    categories: dict[str, CategoryGroup] = {}
    dimensions: list[DimensionGroup] = []
    dims_by_code: dict[str, DimensionGroup] = {}
    parents = {n.pk: n for n in nodes}
    for n in nodes:
        if n.level == "dimension":
            group = DimensionGroup(n, n.name(language), aggregates.get(("dimension", n.code)))
            dimensions.append(group)
            dims_by_code[n.code] = group
    for n in nodes:
        if n.level == "category" and n.parent_id is not None:
            sub = parents[n.parent_id]
            dim = parents[sub.parent_id] if sub.parent_id else None
            cat = CategoryGroup(n, n.name(language), aggregates.get(("category", n.code)))
            categories[n.code] = cat
            if dim is not None:
                dims_by_code[dim.code].categories.append(cat)
    category_code = {n.pk: n.code for n in nodes}
    for series_id, s in sorted(latest.items(), key=lambda item: series[item[0]].order):
        ser = series[series_id]
        obs = observations.get((series_id, s.year))
        indicator = ser.indicator
        name = indicator.name(language) + (f" – {ser.name(language)}" if ser.key else "")
        source_key = (series_id, s.target_scope, place.pk if s.target_scope == "local" else None)
        categories[category_code[indicator.category_id]].rows.append(
            KpiRow(
                series=ser,
                name=name,
                unit=ser.unit if ser.key and ser.unit != indicator.unit_en else indicator.unit(language),
                score=s,
                target_source=target_sources.get(source_key, ""),
                status=obs.status if obs else "",
                quality=obs.get_quality_display() if obs and obs.quality else "",
                source=obs.source if obs else "",
                is_demo=bool(obs and obs.is_demo),
            )
        )
    return MemberProfile(
        place=place,
        year=year,
        overall=aggregates.get(("overall", "all")),
        dimensions=dimensions,
        has_demo_data=any(r.is_demo for c in categories.values() for r in c.rows),
    )
