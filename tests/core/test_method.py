"""The scoring method against published rules and hand-computed numbers, never against the code.

Sources: U4SSC bands and worked examples (reference/u4ssc/method.md), SDSN normalisation and
coverage, Open SDG / Statistics Canada progress (sdg-build ``ProgressMeasure.py``), KS ASSS index.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_scoring import observations, pick, run, targets

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
