"""The four scoring lenses, computed together for a whole dataset at once (DESIGN.md).

1. **U4SSC target achievement**: % of target → points 1–4 (see :mod:`berekraft.core.directions`).
2. **Normalised 0–100** (SDSN style): ``(x − bound) / (target − bound) × 100`` clamped, where the
   bound is the target's baseline if it has one, else the worst-side 2.5th percentile of the series
   over the whole dataset; inverted for lower-is-better so 100 is always best.
3. **Trend** (Open SDG / Statistics Canada): CAGR from the base year to each later year; with a
   target, its ratio to the CAGR the target requires by its year (≥ 0.95 on track, ≥ 0.6 moderate,
   ≥ 0 limited, < 0 deterioration; a met target is ``target_achieved``, checked first; a passed
   target year with the target unmet is ``deterioration``); without a target, the
   direction-signed CAGR against 1.5 % / 0.5 % / 0 a year. A fall within 0.5 % a year is
   ``limited``, not ``deterioration``; rules for zero and negative values are in ``_trend``.
4. **Peer position** (KS ASSS): value / peer mean × 100, rank (1 = best) and quartile per series
   and year among the peer places.

Each series row keeps its components (value, target and scope, direction, achievement, points,
bound, base year and value) so that a page can explain every score. Aggregation to category,
sub-dimension, dimension, goal and overall is in :mod:`berekraft.core.aggregation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from berekraft.core.catalogue import TARGET_SCHEMA
from berekraft.core.directions import achievement, at_least, at_most, band, target_met

# Precedence of target scopes: a member's local target beats the network's, which beats the default.
SCOPE_RANK = {"row": 0, "local": 1, "network": 2, "default": 3}

TREND_CLASSES = ("target_achieved", "on_track", "moderate", "limited", "deterioration")
TREND = pl.Enum(TREND_CLASSES)
STATUS = pl.Enum(("scored", "no_benchmark"))
DIRECTION = pl.Enum(("higher", "lower", "range"))


@dataclass(frozen=True, slots=True)
class ScoringParams:
    """The method's settings; defaults are the published ones (Open SDG, SDSN, U4SSC)."""

    base_year: int = 2015
    default_target_year: int = 2030
    ratio_thresholds: tuple[float, float, float] = (0.95, 0.6, 0.0)
    cagr_thresholds: tuple[float, float, float] = (0.015, 0.005, 0.0)
    bound_quantile: float = 0.025
    min_coverage: float = 0.8
    stable_band: float = 0.005


DEFAULT_PARAMS = ScoringParams()

OBSERVATION_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "place": pl.String,
    "series": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
}

OVERRIDE_COLUMNS = ("target", "target_lower", "target_upper", "baseline", "target_year", "direction")


def resolve_targets(targets: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split targets into place-bound (local) and general ones, keeping the highest precedence each.

    Returns ``(general, local)``: general keyed by series, local keyed by (place, series).
    """
    ranked = targets.with_columns(
        pl.col("target_scope").replace_strict(SCOPE_RANK, default=9, return_dtype=pl.Int8).alias("_rank")
    ).sort("_rank")
    general = (
        ranked.filter(pl.col("place").is_null())
        .unique("series", keep="first", maintain_order=True)
        .drop("place", "_rank")
    )
    local = (
        ranked.filter(pl.col("place").is_not_null())
        .unique(["place", "series"], keep="first", maintain_order=True)
        .drop("_rank")
    )
    return general, local


def _attach_targets(frame: pl.LazyFrame, targets: pl.DataFrame, row_overrides: bool) -> pl.LazyFrame:
    """Give each row its effective target: the row's own, else local, else network, else default."""
    general, local = resolve_targets(targets.select(list(TARGET_SCHEMA)).cast(TARGET_SCHEMA))  # type: ignore[arg-type]
    target_cols = [c for c in TARGET_SCHEMA if c not in ("series", "place")]
    frame = frame.join(general.lazy(), on="series", how="left")
    if local.height:
        frame = frame.join(
            local.lazy().rename({c: f"_local_{c}" for c in target_cols}), on=["place", "series"], how="left"
        )
        has_local = pl.col("_local_target_scope").is_not_null()
        frame = frame.with_columns(
            [
                pl.when(has_local).then(pl.col(f"_local_{c}")).otherwise(pl.col(c)).alias(c)
                for c in target_cols
            ]
        ).drop([f"_local_{c}" for c in target_cols])
    if row_overrides:
        row_has = pl.col("row_target").is_not_null() | pl.col("row_target_lower").is_not_null()
        frame = frame.with_columns(
            [
                pl.when(row_has).then(pl.col(f"row_{c}")).otherwise(pl.col(c)).alias(c)
                for c in ("target", "target_lower", "target_upper", "baseline")
            ]
            + [
                pl.when(row_has).then(pl.lit("row")).otherwise(pl.col("target_scope")).alias("target_scope"),
                pl.coalesce("row_target_year", "target_year").alias("target_year"),
            ]
        )
    # Every number of the targets as a column of its own. Joined from a frame of one row, polars
    # may hold a target as one constant for the whole column, and it divides by such a constant by
    # multiplying with its reciprocal, which can differ from a division in the last bit: a series'
    # scores would then depend on how many targets other series have (a partial score run's would
    # differ from a full run's, core.partial). Adding zero times each row's own value makes each a
    # column like any other (a null stays null), so every division is a division.
    zero = pl.col("value") * 0.0
    return frame.with_columns(
        [(pl.col(c) + zero).alias(c) for c in ("target", "target_lower", "target_upper", "baseline")]
        + [(pl.col("target_year") + pl.col("year") * 0).alias("target_year")]
    )


def score_series(
    observations: pl.DataFrame,
    series_meta: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    params: ScoringParams = DEFAULT_PARAMS,
    peers: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Score every observation through the four lenses.

    ``observations``: place, series, year, value; optionally per-row overrides named
    ``row_target``, ``row_target_lower``, ``row_target_upper``, ``row_baseline``,
    ``row_target_year``, ``row_direction``. ``series_meta``: from ``Catalogue.series_frame()``.
    ``targets``: rows of ``TARGET_SCHEMA`` (place null for default/network targets).
    ``peers``: the places compared in lens 4 (default: every place in the data).
    Rows with a null value are dropped: an unreported series changes nothing. Row order is not
    meaningful (sort for display).
    """
    frame = observations.lazy().filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
    # Only the direction is needed by the lenses; the rest of the metadata is attached at the end.
    slim = series_meta.lazy().select("series", "catalogue_direction").with_row_index("_sid")
    frame = frame.join(slim, on="series", how="inner")
    # Integer group keys: windows over one integer column are several times faster than over strings.
    place_id = pl.col("place").cast(pl.Categorical).to_physical().cast(pl.UInt64)
    frame = frame.with_columns(
        (place_id * 65_536 + pl.col("_sid")).alias("_ps"),
        (pl.col("_sid").cast(pl.UInt64) * 65_536 + pl.col("year")).alias("_sy"),
    )
    frame = _attach_targets(frame, targets, row_overrides="row_target" in observations.columns)
    # One row order whatever the input's, so that windowed sums (the peer mean) add their terms in
    # the same order on every run and the output is identical to the last digit.
    frame = frame.sort("place", "series", "year")
    direction = pl.col("catalogue_direction")
    if "row_direction" in observations.columns:
        direction = pl.coalesce("row_direction", "catalogue_direction")
    frame = frame.with_columns(direction.cast(DIRECTION).alias("direction")).with_columns(
        pl.col("target_year").fill_null(params.default_target_year)
    )
    value = pl.col("value")
    frame = frame.with_columns(
        achievement(
            pl.col("direction"),
            value,
            pl.col("target"),
            pl.col("target_lower"),
            pl.col("target_upper"),
            pl.col("baseline"),
        ).alias("achievement")
    ).with_columns(
        band(pl.col("achievement")).alias("points"),
        pl.when(pl.col("achievement").is_not_null())
        .then(pl.lit("scored", STATUS))
        .otherwise(pl.lit("no_benchmark", STATUS))
        .alias("status"),
    )
    frame = _normalise(frame, params)
    frame = _trend(frame, params)
    frame = _peer_position(frame, peers)
    drop = [
        c for c in frame.collect_schema().names() if c.startswith(("row_", "_")) or c == "catalogue_direction"
    ]
    return (
        frame.drop(drop)
        .join(series_meta.lazy().drop("catalogue_direction"), on="series")
        .collect(engine="in-memory")
    )


def _normalise(frame: pl.LazyFrame, params: ScoringParams) -> pl.LazyFrame:
    q = params.bound_quantile
    bounds = frame.group_by("_sid").agg(
        pl.col("value").quantile(q, interpolation="linear").alias("_q_low"),
        pl.col("value").quantile(1 - q, interpolation="linear").alias("_q_high"),
    )
    frame = frame.join(bounds, on="_sid", how="left")
    d, x, t = pl.col("direction"), pl.col("value"), pl.col("target")
    lo, hi = pl.col("target_lower"), pl.col("target_upper")
    base = pl.col("baseline")
    bound = (
        pl.when(d == "higher")
        .then(pl.coalesce(base, pl.min_horizontal("_q_low", t)))
        .when(d == "lower")
        .then(pl.coalesce(base, pl.max_horizontal("_q_high", t)))
    )
    frame = frame.with_columns(bound.alias("bound"))
    b = pl.col("bound")

    def scaled(num: pl.Expr, den: pl.Expr, reached: pl.Expr) -> pl.Expr:
        # Reaching the target is a comparison, so a value equal to its target is exactly 100.
        return (
            pl.when(reached)
            .then(100.0)
            .when(den != 0)
            .then((num * 100.0 / den).clip(0.0, 100.0))
            .otherwise(0.0)
        )

    range_low = pl.min_horizontal("_q_low", lo)
    range_high = pl.max_horizontal("_q_high", hi)
    normalised = (
        pl.when(t.is_null() & (d != "range"))
        .then(None)
        .when(d == "higher")
        .then(scaled(x - b, t - b, at_least(x, t)))
        .when(d == "lower")
        .then(scaled(b - x, b - t, at_most(x, t)))
        .when(d == "range")
        .then(
            pl.when(lo.is_null() | hi.is_null())
            .then(None)
            .when(at_least(x, lo) & at_most(x, hi))
            .then(100.0)
            .when(x < lo)
            .then(scaled(x - range_low, lo - range_low, at_least(x, lo)))
            .otherwise(scaled(range_high - x, range_high - hi, at_most(x, hi)))
        )
    )
    return frame.with_columns(normalised.alias("normalised")).drop("_q_low", "_q_high")


def _trend(frame: pl.LazyFrame, params: ScoringParams) -> pl.LazyFrame:
    """Open SDG's progress measure (sdg-build ``ProgressMeasure.py``), per row, with three rules of
    ours where Open SDG gives no answer; the order of the checks is the method:

    1. A met target is ``target_achieved``, whatever the base value (Open SDG checks this first).
    2. A target whose year has come (the row's year ≥ the target year) and is not met is
       ``deterioration``: there is no time left to be "on track".
    3. The base-year row itself has no trend.
    4. Growth: the CAGR ``(v / v0)^(1/years) − 1`` times the base value's sign (Open SDG: a base
       of 0 is taken as 0.001, a negative base flips the sign), so positive always means the value
       rose. Where CAGR is undefined (the value changed sign) the linear rate
       ``(v − v0) / |v0| / years`` is used instead, and then for the required rate too.
    5. With a target: ratio = direction × growth / |growth the target needs by its year|, classed
       0.95 / 0.6 / 0 (a target of 0 is taken as 0.001, as Open SDG does). Without: the
       direction-signed growth against 1.5 % / 0.5 % / 0 a year.
    6. Tolerance: a fall of less than ``stable_band`` (0.5 % a year, Open SDG's own "limited"
       threshold mirrored) is ``limited`` (stagnation), not ``deterioration``: noise is not decline.
    """
    key = "_ps"  # place × series
    # The base year is the first year from ``base_year`` on, else the first year there is.
    order = (
        pl.when(pl.col("year") >= params.base_year).then(pl.col("year")).otherwise(pl.col("year") + 10_000)
    )
    frame = frame.with_columns(
        pl.col("year").sort_by(order).first().over(key).alias("base_year"),
        pl.col("value").sort_by(order).first().over(key).alias("base_value"),
    )
    t0, t, v = pl.col("base_year"), pl.col("year"), pl.col("value")
    v0 = pl.when(pl.col("base_value") == 0).then(0.001).otherwise(pl.col("base_value"))
    sign = pl.when(v0 < 0).then(-1.0).otherwise(1.0)
    span = (t - t0).cast(pl.Float64)
    d = pl.col("direction")
    lo, hi = pl.col("target_lower"), pl.col("target_upper")
    # With a range, the goal is the bound on the side the value is on; it must move towards it.
    goal = pl.when(d == "range").then(pl.when(v < lo).then(lo).otherwise(hi)).otherwise(pl.col("target"))
    goal = pl.when(goal == 0).then(0.001).otherwise(goal)  # Open SDG's rule for a zero target
    towards = (
        pl.when(d == "higher")
        .then(1.0)
        .when(d == "lower")
        .then(-1.0)
        .when(d == "range")
        .then(pl.when(v < lo).then(1.0).otherwise(-1.0))
    )
    required_span = (pl.col("target_year") - t0).cast(pl.Float64)
    geometric = (v0 * v >= 0) & (v0 * goal.fill_null(v0) > 0)
    cagr = sign * ((v / v0).pow(1.0 / span) - 1.0)
    linear = (v - v0) / v0.abs() / span
    cagr_req = sign * ((goal / v0).pow(1.0 / required_span) - 1.0)
    linear_req = (goal - v0) / v0.abs() / required_span
    later = t > t0
    frame = frame.with_columns(
        pl.when(later).then(pl.when(geometric).then(cagr).otherwise(linear)).alias("cagr"),
        pl.when(later & (required_span > 0) & goal.is_not_null())
        .then(pl.when(geometric).then(cagr_req).otherwise(linear_req))
        .alias("cagr_required"),
        target_met(d, v, pl.col("target"), lo, hi).alias("_met"),
    )
    c, r = pl.col("cagr"), pl.col("cagr_required")
    ratio = pl.when(r.is_not_null() & (r != 0)).then(towards * c / r.abs())
    high, mid, low = params.ratio_thresholds
    c_hi, c_mid, c_low = params.cagr_thresholds
    noise = c.abs() < params.stable_band

    def classify(x: pl.Expr, top: float, med: float, lowest: float) -> pl.Expr:
        return (
            pl.when(x >= top)
            .then(pl.lit("on_track", TREND))
            .when(x >= med)
            .then(pl.lit("moderate", TREND))
            .when((x >= lowest) | noise)
            .then(pl.lit("limited", TREND))
            .when(x.is_not_null())
            .then(pl.lit("deterioration", TREND))
        )

    has_target = pl.col("_met").is_not_null()
    trend = (
        pl.when(has_target & pl.col("_met"))
        .then(pl.lit("target_achieved", TREND))
        .when(has_target & (t >= pl.col("target_year")))
        .then(pl.lit("deterioration", TREND))
        .when(c.is_null())
        .then(None)
        .when(has_target & ratio.is_not_null())
        .then(classify(ratio, high, mid, low))
        .otherwise(classify(towards * c, c_hi, c_mid, c_low))
    )
    return frame.with_columns(ratio.alias("trend_ratio"), trend.alias("trend"))


def _peer_position(frame: pl.LazyFrame, peers: Sequence[str] | None) -> pl.LazyFrame:
    is_peer = pl.col("place").is_in(list(peers)) if peers is not None else pl.lit(True)
    group = "_sy"  # series × year
    peer_value = pl.when(is_peer).then(pl.col("value"))
    d = pl.col("direction")
    # Rank key: smaller is better.
    key = (
        pl.when(d == "higher")
        .then(-pl.col("value"))
        .when(d == "lower")
        .then(pl.col("value"))
        .otherwise(-pl.col("achievement"))
    )
    frame = frame.with_columns(
        peer_value.mean().over(group).alias("peer_mean"),
        peer_value.count().over(group).alias("peer_count"),
        pl.when(is_peer).then(key).alias("_key"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("peer_mean") != 0)
        .then(pl.col("value") * 100.0 / pl.col("peer_mean"))
        .alias("network_index"),
        pl.col("_key").rank("min").over(group).cast(pl.Int32).alias("rank"),
        pl.col("_key").count().over(group).alias("_ranked"),
    )
    quartile = (pl.col("rank").cast(pl.Float64) * 4.0 / pl.col("_ranked")).ceil().clip(1, 4).cast(pl.Int8)
    return frame.with_columns(quartile.alias("quartile")).drop("_key", "_ranked")
