"""Reads about the stored scores."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from berekraft.observations.services import data_version_read
from berekraft.scores.models import AggregateScore, ScoreRun, SeriesScore


def scores_are_current() -> bool:
    """Whether the stored scores were computed from the published values and targets as they are
    now. False while a recomputation is due (after a change whose score run has not finished, or
    was killed): pages can say "scores are being updated"; ``berekraft recompute --if-stale`` and
    the next import or verify redo it."""
    latest = ScoreRun.objects.order_by("-pk").values_list("data_version", flat=True).first()
    return latest is not None and latest == data_version_read()


def series_scores(
    *,
    place_ids: list[int] | None = None,
    series_ids: list[int] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet[SeriesScore, dict[str, Any]]:
    """Stored series scores with every lens and its components, place and series by code, in a
    stable order (place, series, year)."""
    rows = SeriesScore.objects.all()
    if place_ids is not None:
        rows = rows.filter(place_id__in=place_ids)
    if series_ids is not None:
        rows = rows.filter(series_id__in=series_ids)
    if year_from is not None:
        rows = rows.filter(year__gte=year_from)
    if year_to is not None:
        rows = rows.filter(year__lte=year_to)
    fields = [f.name for f in SeriesScore._meta.concrete_fields if f.name not in ("id", "place", "series")]
    found: QuerySet[SeriesScore, dict[str, Any]] = rows.order_by(
        "place__code", "series__order", "year", "pk"
    ).values("place__code", "series__code", *fields)
    return found


def aggregate_scores(
    *,
    place_ids: list[int] | None = None,
    level: str | None = None,
    code: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet[AggregateScore, dict[str, Any]]:
    """Stored aggregates at every level (indicator, category, sub-dimension, dimension, goal,
    overall), in a stable order (place, level, code, year)."""
    rows = AggregateScore.objects.all()
    if place_ids is not None:
        rows = rows.filter(place_id__in=place_ids)
    if level is not None:
        rows = rows.filter(level=level)
    if code is not None:
        rows = rows.filter(code=code)
    if year_from is not None:
        rows = rows.filter(year__gte=year_from)
    if year_to is not None:
        rows = rows.filter(year__lte=year_to)
    fields = [f.name for f in AggregateScore._meta.concrete_fields if f.name not in ("id", "place")]
    found: QuerySet[AggregateScore, dict[str, Any]] = rows.order_by(
        "place__code", "level", "code", "year", "pk"
    ).values("place__code", *fields)
    return found
