"""The latest stored score of each place and series (or aggregate).

Pages show a member's latest value, not its history: reading every year and keeping the newest in
Python made a page's cost grow with the number of stored years (30 years: 30 times the rows).
The score run keeps the newest row of each pair in tables of their own (``scores.latest``): a page
over many places reads those, one row per cell shown. A page that needs a whole score (a member's
profile) or the newest up to a year finds it by one index probe per (place, series) pair —
``ORDER BY year DESC LIMIT 1`` on the unique (place, series, year) index.

(Probes for many pairs are no substitute for the tables on PostgreSQL: the newest rows lie one to
a disk page, and the planner answers ``id IN (probes)`` by hashing the whole table: 1.3 s for a
goal's 17,136 cells over 357 members, against milliseconds from the latest table.)
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from berekraft.catalogue.models import Series
from berekraft.places.models import Place
from berekraft.scores.models import LatestAggregateScore, LatestSeriesScore, SeriesScore


def _marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def latest_series_scores(
    *, place_ids: Sequence[int], series_ids: Sequence[int], up_to_year: int | None = None
) -> QuerySet[SeriesScore]:
    """Each place's newest SeriesScore of each series (pairs without one are left out); with
    ``up_to_year``, the newest of that year or before."""
    if not place_ids or not series_ids:
        return SeriesScore.objects.none()
    q = connection.ops.quote_name
    scores, places, series = (q(m._meta.db_table) for m in (SeriesScore, Place, Series))
    sql = (
        f"SELECT (SELECT s.id FROM {scores} s WHERE s.place_id = p.id AND s.series_id = c.id"
        f"{'' if up_to_year is None else ' AND s.year <= %s'}"
        f" ORDER BY s.year DESC LIMIT 1) FROM {places} p CROSS JOIN {series} c"
        f" WHERE p.id IN ({_marks(place_ids)}) AND c.id IN ({_marks(series_ids)})"
    )
    before = [] if up_to_year is None else [up_to_year]
    return SeriesScore.objects.filter(pk__in=RawSQL(sql, [*before, *place_ids, *series_ids]))


def latest_values(*, place_ids: Sequence[int], series_ids: Sequence[int]) -> QuerySet[LatestSeriesScore]:
    """Each place's newest year, value and band of each series (pairs without one are left out)."""
    return LatestSeriesScore.objects.filter(place_id__in=list(place_ids), series_id__in=list(series_ids))


def latest_aggregates(
    *, level: str, codes: Sequence[str], place_ids: Sequence[int]
) -> QuerySet[LatestAggregateScore]:
    """Each place's newest year, % of target and band of ``level`` for each of ``codes``."""
    return LatestAggregateScore.objects.filter(
        level=level, code__in=list(codes), place_id__in=list(place_ids)
    )
