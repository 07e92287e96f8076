"""The % of target rule per direction and the U4SSC bands."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from berekraft.core.directions import achievement, band, band_of


def _achieve(
    direction: str,
    value: float,
    target: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    baseline: float | None = None,
) -> float | None:
    frame = pl.DataFrame(
        {"d": [direction], "v": [value], "t": [target], "lo": [lower], "hi": [upper], "b": [baseline]},
        schema={
            "d": pl.String,
            "v": pl.Float64,
            "t": pl.Float64,
            "lo": pl.Float64,
            "hi": pl.Float64,
            "b": pl.Float64,
        },
    )
    out = frame.select(
        achievement(pl.col("d"), pl.col("v"), pl.col("t"), pl.col("lo"), pl.col("hi"), pl.col("b"))
    )
    result: float | None = out.item()
    return result


@pytest.mark.parametrize(
    ("percent", "points"),
    [(0.0, 1), (32.99, 1), (33.0, 2), (65.99, 2), (66.0, 3), (94.99, 3), (95.0, 4), (100.0, 4)],
)
def test_a_value_on_a_band_threshold_belongs_to_the_upper_band(percent: float, points: int) -> None:
    assert band_of(percent) == points
    assert pl.select(band(pl.lit(percent))).item() == points


def test_float_noise_at_a_threshold_does_not_change_the_band() -> None:
    # 0.33 × 100 is 33.00000000000000x in floating point; it must still be band 2.
    assert _achieve("higher", 0.33, 1.0) == pytest.approx(33.0)
    assert band_of(_achieve("higher", 0.33, 1.0) or 0) == 2
    assert band_of(_achieve("higher", 66.0, 100.0) or 0) == 3


def test_higher_is_better_is_value_over_target() -> None:
    assert _achieve("higher", 45.0, 90.0) == 50.0
    assert _achieve("higher", 0.0, 90.0) == 0.0
    assert _achieve("higher", 120.0, 100.0) == 100.0  # capped: a target is at most fully reached
    assert _achieve("higher", -5.0, 100.0) == 0.0


def test_higher_is_better_with_zero_target_has_no_answer() -> None:
    assert _achieve("higher", 10.0, 0.0) is None


def test_lower_is_better_mirrors_and_reaches_100_at_or_below_target() -> None:
    assert _achieve("lower", 20.0, 10.0) == 50.0
    assert _achieve("lower", 10.0, 10.0) == 100.0
    assert _achieve("lower", 0.0, 10.0) == 100.0


def test_lower_is_better_zero_target_needs_a_baseline() -> None:
    assert _achieve("lower", 5.0, 0.0) is None
    # From a baseline of 100 % to a target of 0 %: a value of 25 % has travelled 75 % of the way.
    assert _achieve("lower", 25.0, 0.0, baseline=100.0) == 75.0
    assert _achieve("lower", 0.0, 0.0, baseline=100.0) == 100.0
    assert _achieve("lower", 120.0, 0.0, baseline=100.0) == 0.0


def test_range_is_full_inside_and_ratio_to_nearer_bound_outside() -> None:
    assert _achieve("range", 1.0, lower=0.95, upper=1.05) == 100.0
    assert _achieve("range", 0.95, lower=0.95, upper=1.05) == 100.0
    assert _achieve("range", 0.475, lower=0.95, upper=1.05) == pytest.approx(50.0)
    assert _achieve("range", 2.1, lower=0.95, upper=1.05) == pytest.approx(50.0)
    assert _achieve("range", 1.0, lower=1.1, upper=1.0) is None


positive = st.floats(min_value=0.001, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(deadline=None)  # polars start-up and a loaded machine make timings noise
@given(target=positive, a=st.floats(0, 1e6), b=st.floats(0, 1e6))
def test_higher_points_never_fall_as_value_moves_toward_target(target: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    # For higher-is-better, moving up is moving toward (or past) the target.
    assert band_of(_achieve("higher", high, target) or 0) >= band_of(_achieve("higher", low, target) or 0)


@settings(deadline=None)  # polars start-up and a loaded machine make timings noise
@given(target=positive, a=positive, b=positive)
def test_lower_points_never_fall_as_value_moves_toward_target(target: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert band_of(_achieve("lower", low, target) or 0) >= band_of(_achieve("lower", high, target) or 0)


@settings(deadline=None)  # polars start-up and a loaded machine make timings noise
@given(lower=positive, width=positive, a=st.floats(0, 1e7), b=st.floats(0, 1e7))
def test_range_points_never_fall_as_value_moves_toward_range(
    lower: float, width: float, a: float, b: float
) -> None:
    upper = lower + width
    start, end = sorted((a, b))
    if end <= lower:  # both below the range: the higher one is nearer
        assert (_achieve("range", end, lower=lower, upper=upper) or 0) >= (
            _achieve("range", start, lower=lower, upper=upper) or 0
        )
    if start >= upper:  # both above the range: the lower one is nearer
        assert (_achieve("range", start, lower=lower, upper=upper) or 0) >= (
            _achieve("range", end, lower=lower, upper=upper) or 0
        )


@settings(deadline=None)  # polars start-up and a loaded machine make timings noise
@given(value=st.floats(-1e9, 1e9), target=positive, direction=st.sampled_from(["higher", "lower"]))
def test_achievement_is_always_between_0_and_100(value: float, target: float, direction: str) -> None:
    result = _achieve(direction, value, target)
    assert result is None or 0.0 <= result <= 100.0
