"""One call that runs every lens and every aggregate: what the CLI, the database layer and the
benchmark all use, so there is one scoring path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from berekraft.core.aggregation import aggregate
from berekraft.core.catalogue import Catalogue
from berekraft.core.scoring import DEFAULT_PARAMS, ScoringParams, score_series


@dataclass(frozen=True, slots=True)
class Scores:
    """Series-level scores (one row per observation) and aggregates (one row per group)."""

    series: pl.DataFrame
    aggregates: pl.DataFrame


def score(
    observations: pl.DataFrame,
    catalogue: Catalogue,
    *,
    targets: pl.DataFrame | None = None,
    params: ScoringParams = DEFAULT_PARAMS,
    peers: Sequence[str] | None = None,
) -> Scores:
    """Score observations against ``targets`` (default: the catalogue's default targets)."""
    meta = catalogue.series_frame()
    if targets is None:
        targets = catalogue.targets_frame()
    series = score_series(observations, meta, targets, params=params, peers=peers)
    return Scores(series=series, aggregates=aggregate(series, meta, params=params, peers=peers))
