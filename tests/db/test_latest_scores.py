"""The latest-score tables (scores.latest) hold, for each place and series (and each place, level
and code), the newest stored score: written by every score run, rebuilt from the scores when an
archive lacks them. The expected rows are picked here in Python from every stored score."""

from __future__ import annotations

from typing import Any

import pytest

from berekraft.observations.models import Observation
from berekraft.observations.services import data_version_bump
from berekraft.scores.latest import latest_refill
from berekraft.scores.models import AggregateScore, LatestAggregateScore, LatestSeriesScore, SeriesScore
from berekraft.scores.services import scores_recompute

pytestmark = pytest.mark.django_db


def newest(rows: Any, pair: int) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """(pair…) → the row of the highest year, from rows of (pair…, year, rest…)."""
    result: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for row in rows:
        key, year = tuple(row[:pair]), row[pair]
        if key not in result or result[key][0] < year:
            result[key] = tuple(row[pair:])
    return result


def expected() -> tuple[dict[Any, Any], dict[Any, Any]]:
    series = newest(SeriesScore.objects.values_list("place_id", "series_id", "year", "value", "points"), 2)
    aggregates = newest(
        AggregateScore.objects.values_list(
            "level", "code", "place_id", "year", "max_points", "percent", "band"
        ),
        3,
    )
    return series, aggregates


def stored() -> tuple[dict[Any, Any], dict[Any, Any]]:
    series = {
        (p, s): (y, v, b)
        for p, s, y, v, b in LatestSeriesScore.objects.values_list(
            "place_id", "series_id", "year", "value", "points"
        )
    }
    aggregates = {
        (lv, c, p): (y, m, pc, b)
        for lv, c, p, y, m, pc, b in LatestAggregateScore.objects.values_list(
            "level", "code", "place_id", "year", "max_points", "percent", "band"
        )
    }
    return series, aggregates


def test_the_score_run_keeps_the_newest_score_of_every_pair() -> None:
    series, aggregates = expected()
    assert len(series) > 1000 and len(aggregates) > 500
    assert stored() == (series, aggregates)


def test_a_run_after_the_newest_year_is_withdrawn_keeps_the_year_before() -> None:
    """A pair's newest published value unpublished: the next run's latest row is the year before."""
    row = LatestSeriesScore.objects.filter(place__code="5001").order_by("series_id").first()
    assert row is not None
    Observation.objects.filter(place_id=row.place_id, series_id=row.series_id, year=row.year).update(
        published_value=None
    )
    data_version_bump()
    scores_recompute()
    again = LatestSeriesScore.objects.get(place_id=row.place_id, series_id=row.series_id)
    assert again.year < row.year
    assert stored() == expected()


def test_refill_rebuilds_the_tables_from_the_stored_scores() -> None:
    before = stored()
    LatestSeriesScore.objects.all().delete()
    LatestAggregateScore.objects.update(percent=-1.0)
    latest_refill()
    assert stored() == before == expected()
