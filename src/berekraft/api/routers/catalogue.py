"""Goals, the U4SSC framework and the indicators with their series, formulas and targets.

SDG targets (169) are not in the catalogue's tables yet; the goals are served alone until they are.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from berekraft.api.auth import Public
from berekraft.api.errors import ERROR_STATUSES, Errors
from berekraft.api.schemas import (
    FormulaOut,
    FrameworkNodeOut,
    GoalDetailOut,
    GoalOut,
    IndicatorDetailOut,
    IndicatorOut,
    SeriesOut,
    TargetOut,
)
from berekraft.web.selectors import common
from berekraft.web.selectors.goals import goals_index
from berekraft.web.selectors.indicators import IndicatorEntry, indicator_entries, indicator_page
from berekraft.web.views.base import language

router = Router(auth=Public(), tags=["catalogue"])
ERRORS = {s: Errors for s in ERROR_STATUSES}


def _members() -> tuple[list[common.Member], bool]:
    network = common.network()
    members = common.members(network=network)
    return members, common.has_demo_data([m.place.pk for m in members])


@router.get("/goals", response={200: list[GoalOut], **ERRORS})
def goals(request: HttpRequest) -> list[GoalOut]:
    """The 17 SDGs: linked series and the network median of the members' latest goal scores
    (the same numbers as /goals/.json)."""
    members, demo = _members()
    index = goals_index(catalogue=common.catalogue(language=language()), members=members, demo=demo)
    return [
        GoalOut(
            number=g.goal.number,
            name=g.name,
            colour=g.goal.colour,
            series=g.series,
            scored_members=g.scored_members,
            median=g.median,
        )
        for g in index.goals
    ]


@router.get("/goals/{number}", response={200: GoalDetailOut, **ERRORS})
def goal(request: HttpRequest, number: int) -> GoalDetailOut:
    """One SDG with the KPIs and series linked to it."""
    members, demo = _members()
    cat = common.catalogue(language=language())
    cat.goal(number)
    summary = next(
        g for g in goals_index(catalogue=cat, members=members, demo=demo).goals if g.goal.number == number
    )
    linked = [s for s in cat.series if number in s.goals]
    return GoalDetailOut(
        number=number,
        name=summary.name,
        colour=summary.goal.colour,
        series=summary.series,
        scored_members=summary.scored_members,
        median=summary.median,
        indicators=list(dict.fromkeys(s.indicator.code for s in linked)),
        series_codes=[s.code for s in linked],
    )


@router.get("/framework", response={200: list[FrameworkNodeOut], **ERRORS})
def framework(request: HttpRequest) -> list[FrameworkNodeOut]:
    """The U4SSC framework: dimensions, sub-dimensions and categories, in order."""
    cat = common.catalogue(language=language())
    by_pk = {n.pk: n.code for n in cat.nodes.values()}
    return [
        FrameworkNodeOut(
            code=n.code,
            level=n.level,
            parent=by_pk.get(n.parent_id) if n.parent_id else None,
            name=n.name(cat.language),
            order=n.order,
        )
        for n in cat.nodes.values()
    ]


def _indicator(e: IndicatorEntry) -> dict[str, object]:
    return {
        "code": e.indicator.code,
        "slug": e.slug,
        "name": e.name,
        "type": e.indicator.type,
        "unit": e.unit,
        "direction": e.indicator.direction,
        "dimension": e.dimension,
        "sub_dimension": e.series[0].sub_dimension,
        "category": e.category,
        "goals": list(e.goals),
        "series": [
            SeriesOut(
                code=s.code, slug=s.slug, name=s.name, unit=s.unit, direction=s.direction, goals=list(s.goals)
            )
            for s in e.series
        ],
    }


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS})
def indicators(request: HttpRequest) -> list[IndicatorOut]:
    """The 91 U4SSC KPIs with their series (the same rows as /kpis/.json)."""
    cat = common.catalogue(language=language())
    return [IndicatorOut(**_indicator(e)) for e in indicator_entries(cat)]  # type: ignore[arg-type]


@router.get("/indicators/{indicator}", response={200: IndicatorDetailOut, **ERRORS})
def indicator(request: HttpRequest, indicator: str) -> IndicatorDetailOut:
    """One KPI by code or slug: definition, formula, series and every target with its scope and
    source (as /kpis/<slug>/ shows them)."""
    members, demo = _members()
    cat = common.catalogue(language=language())
    page = indicator_page(slug=common.series_slug(indicator), catalogue=cat, members=members, demo=demo)
    ind = page.entry.indicator
    targets = [
        TargetOut(
            series=t.series.code,
            scope=t.scope,
            network=t.network.code if t.network else None,
            place=t.place.code if t.place else None,
            value=t.value,
            lower=t.lower,
            upper=t.upper,
            baseline=t.baseline,
            year=t.year,
            source=t.source,
            note=t.note,
        )
        for t in page.targets
    ]
    return IndicatorDetailOut(
        **_indicator(page.entry),  # type: ignore[arg-type]
        definition=page.definition,
        formula=FormulaOut(numerator=page.numerator, denominator=page.denominator, scale=ind.scale),
        sdg_indicators=ind.sdg_indicators,
        targets=targets,
        data_sources=page.data_sources,
    )
