"""The scoring method against published rules and hand-computed numbers, never against the code.

Sources: U4SSC bands and worked examples (reference/u4ssc/method.md), SDSN normalisation and
coverage, Open SDG / Statistics Canada progress (sdg-build ``ProgressMeasure.py``), KS ASSS index.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from berekraft.core.scoring import score_series
from tests.core.test_scoring import META, observations, pick, run, targets

positive = st.floats(min_value=1e-9, max_value=1e12, allow_nan=False, allow_infinity=False)


# Finding 16: a value equal to its target has reached it, whatever the scale.
@settings(max_examples=200, deadline=None)
@given(value=positive, direction=st.sampled_from(["higher", "lower"]))
def test_a_value_equal_to_its_target_achieves_it_at_any_scale(value: float, direction: str) -> None:
    series_code = "ED1" if direction == "higher" else "H1"
    obs = observations([("A", series_code, 2015, value / 2 if direction == "higher" else value * 2)])
    obs = pl.concat([obs, observations([("A", series_code, 2020, value)])])
    series, _ = run(obs, targets({series_code: value}))
    row = pick(series, year=2020)
    assert row["achievement"] == 100.0
    assert row["points"] == 4
    assert row["normalised"] == 100.0
    assert row["trend"] == "target_achieved"


def test_330_82_against_itself_is_exactly_full() -> None:
    # 330.8226875951279 × 100 / 330.8226875951279 is 99.99999999999999 in floating point.
    value = 330.8226875951279
    series, _ = run(
        observations([("A", "ED1", 2015, 100.0), ("A", "ED1", 2020, value)]), targets({"ED1": value})
    )
    row = pick(series, year=2020)
    assert (row["achievement"], row["trend"]) == (100.0, "target_achieved")


def _with_target_year(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    return frame.with_columns(pl.lit(year, pl.Int64).alias("target_year"))


def _trend(rows: list[tuple[str, str, int, float | None]], tgt: pl.DataFrame, year: int) -> str | None:
    series = score_series(observations(rows), META, tgt)
    trend = pick(series, year=year)["trend"]
    return None if trend is None else str(trend)


# Finding 17: Open SDG checks "target achieved" first, before any growth rate.
def test_a_met_target_is_achieved_when_the_base_value_is_zero() -> None:
    rows = [("A", "ED1", 2015, 0.0), ("A", "ED1", 2020, 100.0)]
    assert _trend(rows, targets({"ED1": 100}), 2020) == "target_achieved"


def test_a_met_target_is_achieved_when_the_base_value_is_negative() -> None:
    rows = [("A", "H1", 2015, -3.0), ("A", "H1", 2020, -4.0)]  # lower is better, target 0
    assert _trend(rows, targets({"H1": 0}), 2020) == "target_achieved"


def test_zero_base_value_is_taken_as_0_001_as_open_sdg_does() -> None:
    # H1 is lower-is-better without a target: from 0 (→ 0.001) to 1.02 in a year is growth of
    # 1.02 / 0.001 − 1 = 1019 (101 900 %), signed by the direction: deterioration.
    rows = [("A", "H1", 2015, 0.0), ("A", "H1", 2016, 1.02)]
    series = score_series(observations(rows), META, targets({}))
    row = pick(series, year=2016)
    assert row["cagr"] == pytest.approx(1019.0)
    assert row["trend"] == "deterioration"


def test_negative_base_and_value_use_the_sign_corrected_cagr() -> None:
    # Open SDG: sign = −1 for a negative base. H2 (higher) from −100 to −98: CAGR (0.98)^1 − 1 = −2 %,
    # times the sign: +2 % a year, above 1.5 % → on track (the value rose).
    rows = [("A", "H2", 2015, -100.0), ("A", "H2", 2016, -98.0)]
    series = score_series(observations(rows), META, targets({}))
    row = pick(series, year=2016)
    assert row["cagr"] == pytest.approx(0.02)
    assert row["trend"] == "on_track"


def test_a_sign_change_falls_back_to_the_linear_rate() -> None:
    # CAGR is undefined from −10 to 10. Linear rate: (10 − (−10)) / |−10| / 2 years = 100 % a year.
    rows = [("A", "H2", 2015, -10.0), ("A", "H2", 2017, 10.0)]
    series = score_series(observations(rows), META, targets({}))
    row = pick(series, year=2017)
    assert row["cagr"] == pytest.approx(1.0)
    assert row["trend"] == "on_track"


def test_linear_rates_are_compared_with_a_target_when_cagr_is_undefined() -> None:
    # ED2 (higher) target 10 by 2030 from −10 in 2015: needs (10 + 10) / 15 = 1.333 a year; 0 by 2020
    # is (0 + 10) / 5 = 2 a year. Ratio 2 / 1.333 = 1.5 ≥ 0.95 → on track.
    rows = [("A", "ED2", 2015, -10.0), ("A", "ED2", 2020, 0.0)]
    series = score_series(observations(rows), META, targets({"ED2": 10}))
    row = pick(series, year=2020)
    assert row["trend_ratio"] == pytest.approx(1.5)
    assert row["trend"] == "on_track"


# Finding 19: a target whose year has passed is judged by whether it is met.
def test_a_target_year_before_the_base_year_is_not_dropped() -> None:
    # Smart meters: 100 % by 2019; 90 % in 2020 and 93 % in 2022. The deadline has passed, unmet.
    rows = [("A", "ED1", 2020, 90.0), ("A", "ED1", 2022, 93.0)]
    tgt = _with_target_year(targets({"ED1": 100}), 2019)
    assert _trend(rows, tgt, 2022) == "deterioration"


def test_a_target_year_before_the_latest_year_is_judged_by_the_target() -> None:
    rows = [("A", "ED1", 2015, 50.0), ("A", "ED1", 2018, 90.0), ("A", "ED1", 2021, 99.0)]
    tgt = _with_target_year(targets({"ED1": 100}), 2020)
    series = score_series(observations(rows), META, tgt)
    assert pick(series, year=2018)["trend"] == "on_track"  # before the deadline: the ratio rule
    assert pick(series, year=2021)["trend"] == "deterioration"  # after it, unmet
    met = [("A", "ED1", 2015, 50.0), ("A", "ED1", 2021, 100.0)]
    assert _trend(met, tgt, 2021) == "target_achieved"


# Finding 25 (trend): a change within ±0.5 % a year is stagnation ("limited"), not deterioration.
def test_noise_is_limited_not_deterioration_without_a_target() -> None:
    # H2 (higher, no target): 100 → 99.9 is −0.1 % a year; 100 → 99.4 is −0.6 %.
    assert _trend([("A", "H2", 2015, 100.0), ("A", "H2", 2016, 99.9)], targets({}), 2016) == "limited"
    assert _trend([("A", "H2", 2015, 100.0), ("A", "H2", 2016, 99.4)], targets({}), 2016) == "deterioration"
    # H1 (lower): a rise of 0.4 % is noise, a rise of 2 % is deterioration.
    assert _trend([("A", "H1", 2015, 100.0), ("A", "H1", 2016, 100.4)], targets({}), 2016) == "limited"


def test_noise_is_limited_not_deterioration_with_a_target() -> None:
    # ED1 target 100: 50 → 49.9 over two years is about −0.1 % a year; 50 → 49 is about −1 %.
    assert (
        _trend([("A", "ED1", 2015, 50.0), ("A", "ED1", 2017, 49.9)], targets({"ED1": 100}), 2017) == "limited"
    )
    assert _trend([("A", "ED1", 2015, 50.0), ("A", "ED1", 2017, 49.0)], targets({"ED1": 100}), 2017) == (
        "deterioration"
    )
