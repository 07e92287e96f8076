"""The newest score of each place and series (and of each place, level and code), kept in tables
of their own (``LatestSeriesScore``, ``LatestAggregateScore``) by the score run that writes the
scores, in the same transaction: pages that show the latest values of hundreds of places read
these few rows instead of picking the newest of every year (web/selectors/latest.py).

The run has every score in hand, sorted by its key (year last), so the newest of each pair is the
last row of its group. ``latest_refill`` derives the same rows from the stored scores, for a
database whose scores were restored from an archive made before these tables existed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import polars as pl
from django.db import connection

from berekraft.bulk import Part, replace_rows
from berekraft.scores.models import AggregateScore, LatestAggregateScore, LatestSeriesScore, SeriesScore

SERIES_COLUMNS = ("place_id", "series_id", "year", "value", "points")
SERIES_PAIR = ("place_id", "series_id")
AGGREGATE_COLUMNS = ("level", "code", "place_id", "year", "max_points", "percent", "band")
AGGREGATE_PAIR = ("level", "code", "place_id")


def latest_write(
    series_rows: pl.DataFrame,
    aggregate_rows: pl.DataFrame,
    *,
    series_part: Collection[Sequence[Any]] | None = None,
    aggregate_part: Collection[Sequence[Any]] | None = None,
) -> None:
    """Make the latest tables hold the newest row of each pair in ``series_rows`` and
    ``aggregate_rows`` (the run's rows, with the tables' column names), writing only what changed.
    A partial run passes the part it scored (series ids; (level, code) pairs of aggregates), and
    only that part of each latest table is replaced. Call it in the run's transaction."""
    for model, rows, columns, pair, part in (
        (LatestSeriesScore, series_rows, SERIES_COLUMNS, SERIES_PAIR, (("series_id",), series_part)),
        (
            LatestAggregateScore,
            aggregate_rows,
            AGGREGATE_COLUMNS,
            AGGREGATE_PAIR,
            (("level", "code"), aggregate_part),
        ),
    ):
        newest = (
            rows.select(columns)
            .sort([*pair, "year"])
            .unique(subset=list(pair), keep="last", maintain_order=True)
        )
        written: Iterable[Sequence[Any]] = newest.iter_rows()
        if part[1] is not None:
            written = Part(written, part[0], part[1])
        replace_rows(model, list(columns), written, key=pair)


def latest_refill() -> None:
    """Make the latest tables hold the newest stored score of each pair (2 statements each)."""
    quote = connection.ops.quote_name
    for latest, scores, columns, pair in (
        (LatestSeriesScore, SeriesScore, SERIES_COLUMNS, SERIES_PAIR),
        (LatestAggregateScore, AggregateScore, AGGREGATE_COLUMNS, AGGREGATE_PAIR),
    ):
        target, source = quote(latest._meta.db_table), quote(scores._meta.db_table)
        listed = ", ".join(quote(c) for c in columns)
        keys = ", ".join(quote(c) for c in pair)
        joined = " AND ".join(f"s.{quote(c)} = m.{quote(c)}" for c in (*pair, "year"))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {target}")
            cursor.execute(
                f"INSERT INTO {target} ({listed}) SELECT {', '.join(f's.{quote(c)}' for c in columns)} "
                f"FROM {source} s JOIN (SELECT {keys}, MAX({quote('year')}) AS {quote('year')} "
                f"FROM {source} GROUP BY {keys}) m ON {joined}"
            )
