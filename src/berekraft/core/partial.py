"""Scoring part of a dataset: the series whose values or targets changed, and the aggregates they
enter, equal to the last digit to what scoring everything gives (``core.local.score_with_local``).

What a changed value (series s, place p, year y) or a changed target of s reaches, lens by lens
(:mod:`berekraft.core.scoring`, :mod:`berekraft.core.aggregation`):

- **every series score of s**, at every place and year: the normalised lens's bound is a
  percentile of s over all places and years, the trend's base value is p's first year of s, the
  peer lens compares all places for s in y, and a target of s (the network's or p's) sets the
  achievement, bound and trend of the rows it applies to;
- **no series score of another series**: every lens groups by series (and place or year within it);
- **the aggregates whose group holds s**, at every place and year: its indicator (if that has
  several series), category, sub-dimension, dimension, each goal of its indicator, and overall;
  at every place, because an aggregate's rank is among all places;
- a member's **local series** reaches its own scores only: it enters no aggregate.

So a part is scored from the published values of its series (every place, every year) and, for
the aggregates, the stored points and normalised scores of every other series. Everything else a
score depends on (the catalogue, the members, the method) is the same for all series; a change
of it is a reason to score everything.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import polars as pl

from berekraft.core.aggregation import OVERALL, aggregate
from berekraft.core.catalogue import Catalogue, Direction
from berekraft.core.engine import Scores
from berekraft.core.local import score_local, series_meta
from berekraft.core.scoring import DEFAULT_PARAMS, ScoringParams, score_series

# What aggregation reads of a series score (with the series' groups from the catalogue).
AGGREGATE_INPUT = ("place", "series", "year", "points", "normalised")
STORED_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "place": pl.String,
    "series": pl.String,
    "year": pl.Int64,
    "points": pl.Int8,
    "normalised": pl.Float64,
}


def groups_of(series_meta_frame: pl.DataFrame, series: Collection[str]) -> set[tuple[str, str]]:
    """The aggregates (level, code) that a change of any of ``series`` reaches (see above); local
    series and codes not in the catalogue reach none."""
    chosen = series_meta_frame.filter(pl.col("series").is_in(list(series)))
    if chosen.is_empty():
        return set()
    multi = set(
        series_meta_frame.group_by("indicator").len().filter(pl.col("len") > 1)["indicator"].to_list()
    )
    groups = {("overall", OVERALL)}
    for row in chosen.iter_rows(named=True):
        if row["indicator"] in multi:
            groups.add(("indicator", row["indicator"]))
        groups |= {(level, row[level]) for level in ("category", "sub_dimension", "dimension")}
        groups |= {("goal", str(goal)) for goal in row["goals"]}
    return groups


def score_part(
    observations: pl.DataFrame,
    catalogue: Catalogue,
    local: Mapping[str, tuple[Direction, tuple[int, ...]]],
    *,
    series: Collection[str],
    stored: pl.DataFrame,
    targets: pl.DataFrame,
    peers: Sequence[str] | None = None,
    params: ScoringParams = DEFAULT_PARAMS,
) -> Scores:
    """The scores of ``series`` and of the aggregates they reach.

    ``observations``: every published value of ``series`` (all places and years; place, series,
    year, value). ``stored``: ``STORED_SCHEMA`` rows of the stored scores of every other series
    (rows of ``series`` in it are ignored). Returns every series row of ``series`` and the
    aggregate rows of ``groups_of(series)``, as ``score_with_local`` would give them for the whole
    dataset."""
    meta = catalogue.series_frame()
    is_local = pl.col("series").is_in(list(local))
    chosen = observations.filter(pl.col("series").is_in(list(series)))
    scored = score_series(chosen.filter(~is_local), meta, targets, params=params, peers=peers)
    rows = scored
    if local:
        mine = score_local(chosen.filter(is_local), series_meta(dict(local)), targets, params=params)
        rows = pl.concat([scored, mine], how="diagonal_relaxed")
    others = stored.filter(~pl.col("series").is_in(list(series))).cast(STORED_SCHEMA)  # type: ignore[arg-type]
    inputs = pl.concat([others, scored.select(AGGREGATE_INPUT).cast(STORED_SCHEMA)])  # type: ignore[arg-type]
    # Series outside the catalogue (local ones) enter no aggregate, as in a whole run.
    inputs = inputs.join(meta.select("series", "indicator", "category", "goals"), on="series")
    groups = groups_of(meta, series)
    aggregates = aggregate(inputs, meta, params=params, peers=peers, groups=groups)
    return Scores(series=rows, aggregates=aggregates)
