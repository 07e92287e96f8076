"""The latest stored score of each place and series (or aggregate), picked in the database.

Pages show a member's latest value, not its history: reading every year and keeping the newest in
Python made a page's cost grow with the number of stored years (30 years: 30 times the rows).
Here one index probe per (place, series) pair — ``ORDER BY year DESC LIMIT 1`` on the unique
(place, series, year) index, and (level, code, place, year) for aggregates — finds the id of the
newest row, so the rows read are the rows shown, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from berekraft.catalogue.models import Series
from berekraft.places.models import Place
from berekraft.scores.models import AggregateScore, SeriesScore


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


def latest_aggregates(
    *, level: str, codes: Sequence[str], place_ids: Sequence[int]
) -> QuerySet[AggregateScore]:
    """Each place's newest AggregateScore of ``level`` for each of ``codes``."""
    if not place_ids or not codes:
        return AggregateScore.objects.none()
    q = connection.ops.quote_name
    scores, places = q(AggregateScore._meta.db_table), q(Place._meta.db_table)
    wanted = " UNION ALL ".join(["SELECT CAST(%s AS VARCHAR(20)) AS code"] * len(codes))
    sql = (
        f"SELECT (SELECT a.id FROM {scores} a WHERE a.level = %s AND a.code = w.code AND a.place_id = p.id"
        f" ORDER BY a.year DESC LIMIT 1) FROM {places} p CROSS JOIN ({wanted}) w"
        f" WHERE p.id IN ({_marks(place_ids)})"
    )
    return AggregateScore.objects.filter(pk__in=RawSQL(sql, [level, *codes, *place_ids]))
