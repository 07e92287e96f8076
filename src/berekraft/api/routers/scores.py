"""Stored scores: per series with every lens and the components that explain it, and aggregates
at every level (indicator, category, sub-dimension, dimension, goal, overall)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from berekraft.api.auth import Public
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors
from berekraft.api.lookups import series_of, year_range
from berekraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, paginate
from berekraft.api.schemas import AggregateScoreOut, SeriesScoreOut
from berekraft.places.models import Place
from berekraft.scores.models import AggregateScore
from berekraft.scores.selectors import aggregate_scores, series_scores
from berekraft.web.selectors import common
from berekraft.web.views.base import language

router = Router(auth=Public(), tags=["scores"])
ERRORS = {s: Errors for s in ERROR_STATUSES}


class SeriesScoreQuery(Schema):
    member: list[str] | None = None
    indicator: str | None = None
    series: str | None = None
    goal: int | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class AggregateQuery(Schema):
    member: list[str] | None = None
    level: AggregateScore.Level | None = None
    code: str | None = None  # e.g. "EN", "EN: EN", "7" for SDG 7, "all" for overall
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


def _limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be 1 to {MAX_LIMIT}", where="limit")


def _places(codes: list[str] | None) -> list[int] | None:
    return None if codes is None else list(Place.objects.filter(code__in=codes).values_list("pk", flat=True))


@router.get("/scores/series", response={200: Page[SeriesScoreOut], **ERRORS})
def series(request: HttpRequest, q: Query[SeriesScoreQuery]) -> Page[SeriesScoreOut]:
    """Every lens per member, series and year: % of target and band (U4SSC), normalised 0–100
    with its bound (SDSN), trend with CAGR and the rate needed (Open SDG), network index, rank and
    quartile (KS ASSS), and the target it was measured against with its scope."""
    _limit(q.limit)
    cat = common.catalogue(language=language())
    ids = series_of(cat, series=q.series, indicator=q.indicator, goal=q.goal)
    year_from, year_to = year_range(q.year, q.year_from, q.year_to)
    rows = series_scores(place_ids=_places(q.member), series_ids=ids, year_from=year_from, year_to=year_to)
    items, following = paginate(rows, limit=q.limit, cursor=q.cursor)
    return Page[SeriesScoreOut](
        items=[SeriesScoreOut(member=r.pop("place__code"), series=r.pop("series__code"), **r) for r in items],
        next=following,
    )


@router.get("/scores/aggregates", response={200: Page[AggregateScoreOut], **ERRORS})
def aggregates(request: HttpRequest, q: Query[AggregateQuery]) -> Page[AggregateScoreOut]:
    """Aggregate scores: points ÷ (4 × series scored), band, coverage and the normalised mean."""
    _limit(q.limit)
    year_from, year_to = year_range(q.year, q.year_from, q.year_to)
    rows = aggregate_scores(
        place_ids=_places(q.member), level=q.level, code=q.code, year_from=year_from, year_to=year_to
    )
    items, following = paginate(rows, limit=q.limit, cursor=q.cursor)
    return Page[AggregateScoreOut](
        items=[AggregateScoreOut(member=r.pop("place__code"), **r) for r in items], next=following
    )
