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


# Published rules that a one-line change to core/ must not get past (issue 7, finding 24).
@pytest.mark.parametrize(
    ("percent", "points"),
    [(0.0, 1), (32.99, 1), (33.0, 2), (65.99, 2), (66.0, 3), (94.99, 3), (95.0, 4), (100.0, 4)],
)
def test_u4ssc_bands_are_33_66_95(percent: float, points: int) -> None:
    # Target 100, value = percent: U4SSC 0–33 % → 1 point, 33–66 % → 2, 66–95 % → 3, 95 %+ → 4.
    series, _ = run(observations([("A", "ED1", 2024, percent)]), targets({"ED1": 100}))
    assert pick(series, series="ED1")["points"] == points


def test_sdsn_lower_bound_is_the_2_5th_percentile() -> None:
    # 41 places with 0, 1, …, 40: the 2.5th percentile (linear) sits at position 0.025 × 40 = 1,
    # the value 1. Normalised for 21 against target 100: (21 − 1) / (100 − 1) × 100 = 20.2020…
    rows = [(f"P{i:02d}", "ED1", 2024, float(i)) for i in range(41)]
    series, _ = run(observations(rows), targets({"ED1": 100}))
    row = pick(series, place="P21")
    assert row["bound"] == 1.0
    assert row["normalised"] == pytest.approx(2000 / 99)


def test_sdsn_bound_never_passes_the_target() -> None:
    # Target 10; one place at 0 and forty at 50…89: the percentile (50) is above the target, so the
    # bound is the target itself and 0, below the target, scores 0 (not 125 % censored to 100).
    rows = [("Z", "ED1", 2024, 0.0)] + [(f"P{i:02d}", "ED1", 2024, 50.0 + i) for i in range(40)]
    series, _ = run(observations(rows), targets({"ED1": 10}))
    assert pick(series, place="Z")["bound"] == 10.0
    assert pick(series, place="Z")["normalised"] == 0.0
    assert pick(series, place="P00")["normalised"] == 100.0


def _normalised_targets() -> pl.DataFrame:
    # Baselines make each series' normalised score a hand-computable share of the way.
    higher = targets({"ED1": 100, "ED2": 100, "ED3": 100, "ED4": 100, "H2": 100}).with_columns(
        pl.lit(0.0).alias("baseline")
    )
    lower = targets({"H1": 0}).with_columns(pl.lit(100.0).alias("baseline"))
    return pl.concat([higher, lower])


def test_sdsn_overall_is_the_mean_of_goals_not_of_series() -> None:
    # ED1–ED3 100, ED4 40 → goal 4 = (100 + 100 + 100 + 40) / 4 = 85; goal 5 (ED3) = 100;
    # H1 (lower, 100 from baseline 100 to target 0) = 0 and H2 = 50 → goal 3 = 25.
    # Overall = (85 + 100 + 25) / 3 = 70; the mean of the six series would be 390 / 6 = 65.
    rows = [
        ("A", "ED1", 2024, 100.0),
        ("A", "ED2", 2024, 100.0),
        ("A", "ED3", 2024, 100.0),
        ("A", "ED4", 2024, 40.0),
        ("A", "H1", 2024, 100.0),
        ("A", "H2", 2024, 50.0),
    ]
    _, agg = run(observations(rows), _normalised_targets())
    assert pick(agg, level="goal", code="4", place="A", year=2024)["normalised"] == pytest.approx(85.0)
    assert pick(agg, level="goal", code="3", place="A", year=2024)["normalised"] == pytest.approx(25.0)
    assert pick(agg, level="overall", code="all", place="A", year=2024)["normalised"] == pytest.approx(70.0)


def test_sdsn_coverage_rule_needs_80_percent_reported() -> None:
    # Goal 4 has four series: three reported is 75 % < 80 % → no goal score; four is 100 %.
    # Overall has six: five reported is 83 % ≥ 80 % → a score; four is 67 % → none.
    five = [("A", s, 2024, 50.0) for s in ("ED1", "ED2", "ED3", "H1", "H2")]
    _, agg = run(observations(five), _normalised_targets())
    assert pick(agg, level="goal", code="4", place="A", year=2024)["normalised"] is None
    assert pick(agg, level="overall", code="all", place="A", year=2024)["normalised"] is not None
    four = [("A", s, 2024, 50.0) for s in ("ED1", "ED2", "ED3", "ED4")]
    _, agg = run(observations(four), _normalised_targets())
    assert pick(agg, level="goal", code="4", place="A", year=2024)["normalised"] == pytest.approx(50.0)
    assert pick(agg, level="overall", code="all", place="A", year=2024)["normalised"] is None


_REQUIRED = 2 ** (1 / 15) - 1  # 50 → 100 over 2015–2030


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(0.96, "on_track"), (0.94, "moderate"), (0.61, "moderate"), (0.59, "limited"), (0.01, "limited")],
)
def test_open_sdg_ratio_thresholds_are_095_06_0(ratio: float, expected: str) -> None:
    # Two years at ``ratio`` × the required CAGR: 50 × (1 + ratio × required)².
    end = 50 * (1 + ratio * _REQUIRED) ** 2
    assert (
        _trend([("A", "ED1", 2015, 50.0), ("A", "ED1", 2017, end)], targets({"ED1": 100}), 2017) == expected
    )


@pytest.mark.parametrize(
    ("growth", "expected"),
    [
        (0.016, "on_track"),
        (0.014, "moderate"),
        (0.006, "moderate"),
        (0.004, "limited"),
        (-0.006, "deterioration"),
    ],
)
def test_open_sdg_growth_thresholds_without_target_are_15_05_0_percent(growth: float, expected: str) -> None:
    rows = [("A", "H2", 2015, 100.0), ("A", "H2", 2016, 100.0 * (1 + growth))]
    assert _trend(rows, targets({}), 2016) == expected


def test_open_sdg_zero_target_is_taken_as_0_001() -> None:
    # H1 (lower) target 0 by 2030 from 10 in 2015: required CAGR (0.001 / 10)^(1/15) − 1 = 10^(−4/15) − 1.
    # Observed −35 % a year (10 × 0.65⁵ in 2020): ratio 0.35 / (1 − 10^(−4/15)) = 0.763 → moderate
    # (with a literal 0 the required rate would be −100 % and the ratio 0.35: limited).
    rows = [("A", "H1", 2015, 10.0), ("A", "H1", 2020, 10 * 0.65**5)]
    series = score_series(observations(rows), META, targets({"H1": 0}))
    row = pick(series, year=2020)
    assert row["trend_ratio"] == pytest.approx(0.35 / (1 - 10 ** (-4 / 15)))
    assert row["trend"] == "moderate"


def test_ks_asss_index_is_value_over_network_mean_times_100() -> None:
    # 10, 20, 30, 60: mean 30; 60 / 30 × 100 = 200; 10 / 30 × 100 = 33.3…
    rows = [(p, "ED1", 2024, v) for p, v in zip("ABCD", (10.0, 20.0, 30.0, 60.0), strict=True)]
    series, _ = run(observations(rows), targets({"ED1": 100}))
    assert pick(series, place="D")["network_index"] == pytest.approx(200.0)
    assert pick(series, place="A")["network_index"] == pytest.approx(100 / 3)
    assert pick(series, place="D")["peer_mean"] == pytest.approx(30.0)
