"""Aggregate series scores to indicator, category, sub-dimension, dimension, goal and overall.

U4SSC (reference/u4ssc/method.md §3): points of the scored series are summed and divided by the
maximum possible, 4 × number scored; series that are not reported, or have no benchmark, are left
out of both. The resulting % is put in the same four bands. U4SSC publishes no per-SDG score: the
goal level reuses the same points method over the series whose indicator is linked to the goal.

The normalised lens (SDSN) is the mean of the series' 0–100 scores; for goals and overall it is
left empty when fewer than ``min_coverage`` of the group's catalogue series are reported. The
overall normalised score is the mean of the goal scores (equal weight per goal), as SDSN does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import polars as pl

from berekraft.core.directions import band
from berekraft.core.scoring import DEFAULT_PARAMS, ScoringParams

AGGREGATE_LEVELS = ("indicator", "category", "sub_dimension", "dimension", "goal", "overall")
OVERALL = "all"


def _ordered_sum(expr: pl.Expr) -> pl.Expr:
    """A float sum that is the same to the last digit on every run: the terms are added in sorted
    order, one after the other. A plain group-by ``sum`` combines per-thread partial sums whose
    split changes from run to run (and the optimiser drops a ``sort`` before a ``sum``)."""
    return expr.drop_nulls().sort().cum_sum().last().fill_null(0.0)


def _with_goal_code(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.explode("goals").with_columns(pl.col("goals").cast(pl.String).alias("goal"))


def catalogue_counts(series_meta: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """How many catalogue series each group holds (the denominator of coverage), per level."""
    counts = {
        level: series_meta.group_by(level)
        .agg(pl.len().cast(pl.Int64).alias("catalogue_count"))
        .rename({level: "code"})
        for level in ("indicator", "category", "sub_dimension", "dimension")
    }
    counts["goal"] = (
        _with_goal_code(series_meta.lazy())
        .group_by("goal")
        .agg(pl.len().cast(pl.Int64).alias("catalogue_count"))
        .rename({"goal": "code"})
        .collect()
    )
    counts["overall"] = pl.DataFrame({"code": [OVERALL], "catalogue_count": [series_meta.height]})
    return counts


COLUMNS = [
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


def aggregate(
    series_scores: pl.DataFrame,
    series_meta: pl.DataFrame,
    *,
    params: ScoringParams = DEFAULT_PARAMS,
    peers: Sequence[str] | None = None,
    groups: Collection[tuple[str, str]] | None = None,
) -> pl.DataFrame:
    """One row per (level, code, place, year) with points, max_points, percent, band and coverage.

    ``groups``: only these (level, code) aggregates, at every place and year (a partial run's,
    ``core.partial``); the others are not computed where they are not needed (every goal is, for
    the overall score's mean of goals). The rows are those of the whole computation."""
    wanted: dict[str, list[str]] | None = None
    if groups is not None:
        wanted = {level: sorted(code for lv, code in groups if lv == level) for level in AGGREGATE_LEVELS}

    def only(frame: pl.LazyFrame, level: str, column: str) -> pl.LazyFrame:
        return frame if wanted is None else frame.filter(pl.col(column).is_in(wanted[level]))

    keys = ["place", "year"]
    # Deterministic to the last digit: floating-point sums depend on the order of their terms, so
    # the rows are put in one order and every group-by keeps it (maintain_order=True).
    # Only the columns read here are sorted (a third of the time of sorting every lens's columns).
    # A normalised score that is not a finite number counts as none, as the database stores it
    # (NULL): aggregates computed from stored scores (core.partial) equal these to the last digit.
    series_scores = series_scores.select(
        "place",
        "year",
        "series",
        "indicator",
        "category",
        "goals",
        "points",
        pl.when(pl.col("normalised").is_finite()).then(pl.col("normalised")).alias("normalised"),
    ).sort("place", "year", "series")
    # One pass over the series rows into partial sums per (place, year, category, goal set); every
    # level is then rolled up from those partials, a small fraction of the rows.
    partial = (
        series_scores.lazy()
        .group_by([*keys, "category", "goals"], maintain_order=True)
        .agg(
            pl.col("points").sum().cast(pl.Int64).alias("points"),
            pl.col("points").count().cast(pl.Int64).alias("scored"),
            pl.len().cast(pl.Int64).alias("reported"),
            _ordered_sum(pl.col("normalised")).alias("_norm_sum"),
            pl.col("normalised").count().alias("_norm_n"),
        )
        .join(
            series_meta.lazy().select("category", "sub_dimension", "dimension").unique(),
            on="category",
            how="left",
        )
        .collect(engine="in-memory")
        .lazy()
    )
    counts = catalogue_counts(series_meta)
    # Float sums add their terms in sorted order: a plain group-by sum combines per-thread partial
    # sums, whose split (and so the last digits) changes from run to run.
    sums = [pl.col(c).sum() for c in ("points", "scored", "reported", "_norm_n")] + [
        _ordered_sum(pl.col("_norm_sum"))
    ]
    is_peer = pl.col("place").is_in(list(peers)) if peers is not None else pl.lit(True)

    def finish(rolled: pl.LazyFrame, level: str) -> pl.LazyFrame:
        frame = rolled.join(counts[level].lazy(), on="code", how="left").with_columns(
            pl.lit(level).alias("level"),
            (pl.col("scored") * 4).alias("max_points"),
            (pl.col("catalogue_count") - pl.col("scored")).alias("not_scored"),
            (pl.col("reported") / pl.col("catalogue_count")).alias("coverage"),
            pl.when(pl.col("scored") > 0)
            .then(pl.col("points") * 100.0 / (pl.col("scored") * 4))
            .alias("percent"),
            pl.when(pl.col("_norm_n") > 0).then(pl.col("_norm_sum") / pl.col("_norm_n")).alias("normalised"),
        )
        if level in ("goal", "overall"):
            # SDSN: no goal or overall normalised score where too little is reported.
            frame = frame.with_columns(
                pl.when(pl.col("coverage") >= params.min_coverage)
                .then(pl.col("normalised"))
                .alias("normalised")
            )
        return frame.with_columns(
            band(pl.col("percent")).alias("band"),
            pl.when(is_peer & pl.col("percent").is_not_null())
            .then(-pl.col("percent"))
            .rank("min")
            .over("code", "year")
            .cast(pl.Int32)
            .alias("rank"),
        )

    levels = {
        level: finish(
            only(partial, level, level)
            .group_by([*keys, level], maintain_order=True)
            .agg(sums)
            .rename({level: "code"}),
            level,
        )
        for level in ("category", "sub_dimension", "dimension")
    }
    # A multi-point KPI (air pollution, mode share …) scores as points over its own data points.
    # A single-series KPI's score is its series' score, so only the multi-point ones are aggregated.
    multi = series_meta.group_by("indicator").len().filter(pl.col("len") > 1)["indicator"].to_list()
    levels["indicator"] = finish(
        only(series_scores.lazy(), "indicator", "indicator")
        .filter(pl.col("indicator").is_in(multi))
        .group_by([*keys, "indicator"], maintain_order=True)
        .agg(
            pl.col("points").sum().cast(pl.Int64).alias("points"),
            pl.col("points").count().cast(pl.Int64).alias("scored"),
            pl.len().cast(pl.Int64).alias("reported"),
            _ordered_sum(pl.col("normalised")).alias("_norm_sum"),
            pl.col("normalised").count().alias("_norm_n"),
        )
        .rename({"indicator": "code"}),
        "indicator",
    )
    goals = finish(
        _with_goal_code(partial)
        .group_by([*keys, "goal"], maintain_order=True)
        .agg(sums)
        .rename({"goal": "code"}),
        "goal",
    ).collect(engine="in-memory")
    # The overall normalised score is the mean of the goal scores (SDSN: equal weight per goal).
    goal_means = (
        goals.lazy()
        .sort([*keys, "code"])
        .group_by(keys, maintain_order=True)
        .agg(
            pl.when(pl.col("normalised").count() > 0)
            .then(_ordered_sum(pl.col("normalised")) / pl.col("normalised").count())
            .alias("_goal_mean")
        )
    )
    overall = (
        finish(
            partial.group_by(keys, maintain_order=True).agg(sums).with_columns(pl.lit(OVERALL).alias("code")),
            "overall",
        )
        .join(goal_means, on=keys, how="left")
        .with_columns(
            pl.when(pl.col("normalised").is_not_null()).then(pl.col("_goal_mean")).alias("normalised")
        )
    )
    parts = [*levels.values(), only(goals.lazy(), "goal", "code")]
    if wanted is None or wanted["overall"]:
        parts.append(overall)
    return pl.concat([p.select(COLUMNS) for p in parts]).collect(engine="in-memory")
