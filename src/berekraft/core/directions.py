"""% of target achieved, one documented function per direction.

U4SSC scores a series by the percentage of its target achieved and publishes the bands, not the
formula for lower-is-better series (reference/u4ssc/method.md §3.8). berekraft's choice, kept here
and nowhere else:

* **higher** is better: ``value / target × 100``. A target of 0 or less is reached by any value
  and measures nothing: no benchmark (``berekraft score`` refuses it as a row's target).
* **lower** is better: the mirror ``target / value × 100``; a value at or below the target is 100 %.
  A target of zero cannot be mirrored (every non-zero value would be 0 %), so such a target carries
  a ``baseline`` (the worst case, e.g. 100 % for a share) and achievement is the distance travelled
  from baseline to target: ``(baseline − value) / (baseline − target) × 100``. A baseline, when
  given, is used for any lower-is-better target. **Without a baseline** a lower-is-better target
  of 0 or less has no % of target: the series is "no benchmark" (not scored) for every place
  alike, so that no place's aggregate is built on a rule the others do not get; the trend still
  says "target achieved" where the value is at or below the target. ``berekraft score`` refuses
  such a row instead and asks for a ``baseline`` column.
* **range**: 100 % inside ``[lower, upper]``; below it ``value / lower × 100``; above it
  ``upper / value × 100`` (the higher and lower rules applied to the nearer bound).

Achievement is clamped to 0–100: a target cannot be more than fully reached, and the value itself
shows by how much it is exceeded. Where the rule has no answer (no target, a non-positive target
for a ratio rule) the result is null and the series is not scored.

**Reaching the target is decided by comparing value and target, not by the ratio**: a value equal
to its target is 100 % (4 points, "target achieved") at any scale, although ``x × 100 / x`` is
99.99999999999999 for many ``x`` in floating point. Two numbers within a relative
``RELATIVE_TOLERANCE`` (10⁻⁹) of each other count as equal: far below any measurement's precision,
far above float rounding.
"""

from __future__ import annotations

import polars as pl

from berekraft.core.catalogue import Direction

RELATIVE_TOLERANCE = 1e-9


def _clamp(expr: pl.Expr) -> pl.Expr:
    return expr.clip(0.0, 100.0)


def at_least(value: pl.Expr, target: pl.Expr) -> pl.Expr:
    """``value ≥ target``, where a value within the relative tolerance below the target counts."""
    return value >= target - target.abs() * RELATIVE_TOLERANCE


def at_most(value: pl.Expr, target: pl.Expr) -> pl.Expr:
    """``value ≤ target``, where a value within the relative tolerance above the target counts."""
    return value <= target + target.abs() * RELATIVE_TOLERANCE


def target_met(
    direction: pl.Expr, value: pl.Expr, target: pl.Expr, lower: pl.Expr, upper: pl.Expr
) -> pl.Expr:
    """Whether the value has reached its target (Open SDG's ``is_target_achieved``), whatever the
    target's size; null where there is no target of the direction's shape."""
    return (
        pl.when(direction == "higher")
        .then(pl.when(target.is_not_null()).then(at_least(value, target)))
        .when(direction == "lower")
        .then(pl.when(target.is_not_null()).then(at_most(value, target)))
        .when(direction == "range")
        .then(
            pl.when(lower.is_not_null() & upper.is_not_null()).then(
                at_least(value, lower) & at_most(value, upper)
            )
        )
    )


def achievement_higher(value: pl.Expr, target: pl.Expr) -> pl.Expr:
    """Higher is better: value / target × 100 (null when the target is not positive)."""
    return pl.when(target > 0).then(
        pl.when(at_least(value, target)).then(100.0).otherwise(_clamp(value * 100.0 / target))
    )


def achievement_lower(value: pl.Expr, target: pl.Expr, baseline: pl.Expr) -> pl.Expr:
    """Lower is better: target / value × 100, or the distance from baseline when one is given."""
    from_baseline = pl.when(baseline > target).then(
        pl.when(at_most(value, target))
        .then(100.0)
        .otherwise(_clamp((baseline - value) * 100.0 / (baseline - target)))
    )
    mirrored = (
        pl.when(target <= 0)
        .then(None)
        .when(at_most(value, target))
        .then(100.0)
        .otherwise(_clamp(target * 100.0 / value))
    )
    return pl.when(baseline.is_not_null()).then(from_baseline).otherwise(mirrored)


def achievement_range(value: pl.Expr, lower: pl.Expr, upper: pl.Expr) -> pl.Expr:
    """Inside [lower, upper] is 100 %; outside, the ratio to the nearer bound."""
    return (
        pl.when(lower.is_null() | upper.is_null() | (lower > upper))
        .then(None)
        .when(at_least(value, lower) & at_most(value, upper))
        .then(100.0)
        .when(value < lower)
        .then(pl.when(lower > 0).then(_clamp(value * 100.0 / lower)))
        .otherwise(_clamp(upper * 100.0 / value))
    )


def achievement(
    direction: pl.Expr, value: pl.Expr, target: pl.Expr, lower: pl.Expr, upper: pl.Expr, baseline: pl.Expr
) -> pl.Expr:
    """% of target achieved for a whole frame at once, dispatching on each row's direction."""
    return (
        pl.when(direction == "higher")
        .then(achievement_higher(value, target))
        .when(direction == "lower")
        .then(achievement_lower(value, target, baseline))
        .when(direction == "range")
        .then(achievement_range(value, lower, upper))
    )


# Band thresholds in % of target (U4SSC: 0–33 → 1, 33–66 → 2, 66–95 → 3, 95+ → 4).
BAND_THRESHOLDS = (33.0, 66.0, 95.0)


def band(percent: pl.Expr) -> pl.Expr:
    """U4SSC points 1–4 for a % of target; a value on a threshold belongs to the upper band."""
    low, mid, high = BAND_THRESHOLDS
    # Round away float noise (33.000000000000004 must stay 33) before comparing with thresholds.
    p = percent.round(9)
    return (
        pl.when(p.is_null())
        .then(None)
        .when(p < low)
        .then(1)
        .when(p < mid)
        .then(2)
        .when(p < high)
        .then(3)
        .otherwise(4)
        .cast(pl.Int8)
    )


def band_of(percent: float) -> int:
    """The same rule for one number (used to explain a score in text)."""
    p = round(percent, 9)
    low, mid, high = BAND_THRESHOLDS
    return 1 if p < low else 2 if p < mid else 3 if p < high else 4


__all__ = [
    "BAND_THRESHOLDS",
    "RELATIVE_TOLERANCE",
    "Direction",
    "achievement",
    "achievement_higher",
    "achievement_lower",
    "achievement_range",
    "at_least",
    "at_most",
    "band",
    "band_of",
    "target_met",
]
