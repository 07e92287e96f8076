"""Aggregate series scores to category, sub-dimension, dimension, goal and overall.

U4SSC (reference/u4ssc/method.md §3): points of the scored series are summed and divided by the
maximum possible, 4 × number scored; series that are not reported, or have no benchmark, are left
out of both. The resulting % is put in the same four bands. U4SSC publishes no per-SDG score: the
goal level reuses the same points method over the series whose indicator is linked to the goal.

The normalised lens (SDSN) is the mean of the series' 0–100 scores; for goals and overall it is
left empty when fewer than ``min_coverage`` of the group's catalogue series are reported. The
overall normalised score is the mean of the goal scores (equal weight per goal), as SDSN does.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from berekraft.core.directions import band
from berekraft.core.scoring import DEFAULT_PARAMS, ScoringParams

AGGREGATE_LEVELS = ("category", "sub_dimension", "dimension", "goal", "overall")
OVERALL = "all"


def _with_goal_code(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.explode("goals").with_columns(pl.col("goals").cast(pl.String).alias("goal"))


def catalogue_counts(series_meta: pl.DataFrame) -> pl.LazyFrame:
    """How many catalogue series each group holds (the denominator of coverage)."""
    meta = series_meta.lazy()
    parts = [
        meta.group_by(level)
        .agg(pl.len().alias("catalogue_count"))
        .select(pl.lit(level).alias("level"), pl.col(level).alias("code"), "catalogue_count")
        for level in ("category", "sub_dimension", "dimension")
    ]
    parts.append(
        _with_goal_code(meta)
        .group_by("goal")
        .agg(pl.len().alias("catalogue_count"))
        .select(pl.lit("goal").alias("level"), pl.col("goal").alias("code"), "catalogue_count")
    )
    parts.append(
        pl.LazyFrame({"level": ["overall"], "code": [OVERALL], "catalogue_count": [series_meta.height]})
    )
    return pl.concat([p.cast({"catalogue_count": pl.Int64}) for p in parts])


def aggregate(
    series_scores: pl.DataFrame,
    series_meta: pl.DataFrame,
    *,
    params: ScoringParams = DEFAULT_PARAMS,
    peers: Sequence[str] | None = None,
) -> pl.DataFrame:
    """One row per (level, code, place, year) with points, max_points, percent, band and coverage."""
    measures = [
        pl.col("points").sum().cast(pl.Int64).alias("points"),
        pl.col("points").count().cast(pl.Int64).alias("scored"),
        pl.len().cast(pl.Int64).alias("reported"),
        pl.col("normalised").mean().alias("normalised"),
    ]
    keys = ["place", "year"]
    scores = series_scores.lazy()
    parts = []
    for level in ("category", "sub_dimension", "dimension"):
        parts.append(
            scores.group_by([*keys, level])
            .agg(measures)
            .rename({level: "code"})
            .with_columns(pl.lit(level).alias("level"))
        )
    goal_rows = _with_goal_code(scores.select(*keys, "goals", "points", "normalised"))
    goals = (
        goal_rows.group_by([*keys, "goal"])
        .agg(measures)
        .rename({"goal": "code"})
        .with_columns(pl.lit("goal").alias("level"))
    )
    parts.append(goals)
    overall = (
        scores.group_by(keys)
        .agg(measures)
        .with_columns(pl.lit(OVERALL).alias("code"), pl.lit("overall").alias("level"))
    )
    parts.append(overall)
    columns = ["level", "code", *keys, "points", "scored", "reported", "normalised"]
    frame = pl.concat([p.select(columns) for p in parts])
    frame = frame.join(catalogue_counts(series_meta), on=["level", "code"], how="left")
    frame = (
        frame.with_columns(
            (pl.col("scored") * 4).alias("max_points"),
            (pl.col("catalogue_count") - pl.col("scored")).alias("not_scored"),
            (pl.col("reported") / pl.col("catalogue_count")).alias("coverage"),
        )
        .with_columns(
            pl.when(pl.col("max_points") > 0)
            .then(pl.col("points") * 100.0 / pl.col("max_points"))
            .alias("percent"),
        )
        .with_columns(band(pl.col("percent")).alias("band"))
    )
    # SDSN: no goal or overall normalised score where too little is reported.
    low_cover = pl.col("level").is_in(["goal", "overall"]) & (pl.col("coverage") < params.min_coverage)
    frame = frame.with_columns(
        pl.when(low_cover).then(None).otherwise(pl.col("normalised")).alias("normalised")
    )
    goal_means = (
        frame.filter(pl.col("level") == "goal")
        .group_by(keys)
        .agg(
            pl.col("normalised").mean().alias("_goal_mean"),
            pl.col("normalised").null_count().alias("_missing"),
        )
    )
    frame = (
        frame.join(goal_means, on=keys, how="left")
        .with_columns(
            pl.when(pl.col("level") == "overall")
            .then(pl.when(pl.col("normalised").is_not_null()).then(pl.col("_goal_mean")))
            .otherwise(pl.col("normalised"))
            .alias("normalised")
        )
        .drop("_goal_mean", "_missing")
    )
    is_peer = pl.col("place").is_in(list(peers)) if peers is not None else pl.lit(True)
    frame = frame.with_columns(
        pl.when(is_peer & pl.col("percent").is_not_null())
        .then(-pl.col("percent"))
        .rank("min")
        .over("level", "code", "year")
        .cast(pl.Int32)
        .alias("rank")
    )
    order = [
        "level",
        "code",
        "place",
        "year",
        "points",
        "max_points",
        "percent",
        "band",
        "scored",
        "not_scored",
        "reported",
        "catalogue_count",
        "coverage",
        "normalised",
        "rank",
    ]
    return frame.select(order).collect()
