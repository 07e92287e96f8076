"""Local indicators in the pure core: the rules for defining one, and scoring that keeps every
U4SSC number where it was (hypothesis: for any local indicators and values)."""

from __future__ import annotations

import random

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from berekraft.core.catalogue import TARGET_SCHEMA, load_catalogue
from berekraft.core.local import (
    PEER_COLUMNS,
    LocalIndicatorInput,
    check,
    is_local_code,
    local_code,
    score_with_local,
)

PLACES = ["5001", "1506", "1103", "3203"]
CATALOGUE = load_catalogue()


def _u4ssc_observations() -> pl.DataFrame:
    """A fixed small network: 30 catalogue series × 4 places × 2015–2024, some gaps."""
    rng = random.Random(8)
    series = [s.code for s in CATALOGUE.series][:30]
    rows = [
        (place, code, year, round(rng.uniform(1, 100), 2))
        for place in PLACES
        for code in series
        for year in range(2015, 2025)
        if rng.random() > 0.1
    ]
    return pl.DataFrame(
        rows,
        schema={"place": pl.String, "series": pl.String, "year": pl.Int64, "value": pl.Float64},
        orient="row",
    )


U4SSC = _u4ssc_observations()
DEFAULT_TARGETS = CATALOGUE.targets_frame()
BASE = score_with_local(U4SSC, CATALOGUE, {}, targets=DEFAULT_TARGETS, peers=PLACES)

local_indicator = st.fixed_dictionaries(
    {
        "owner": st.sampled_from(PLACES),
        "slug": st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True),
        "direction": st.sampled_from(["higher", "lower", "range"]),
        "target": st.none() | st.floats(0.5, 1000),
        "width": st.floats(0.5, 100),
        "goals": st.lists(st.integers(1, 17), max_size=3).map(tuple),
        "values": st.dictionaries(st.integers(2010, 2026), st.floats(0, 1e6, allow_nan=False), max_size=6),
    }
)


def _local_frames(
    found: list[dict[str, object]],
) -> tuple[dict[str, tuple[str, tuple[int, ...]]], pl.DataFrame, pl.DataFrame]:
    local: dict[str, tuple[str, tuple[int, ...]]] = {}
    rows, targets = [], []
    for item in found:
        code = local_code(str(item["owner"]), str(item["slug"]))
        if code in local:
            continue
        local[code] = (str(item["direction"]), item["goals"])  # type: ignore[assignment]
        for year, value in item["values"].items():  # type: ignore[attr-defined]
            rows.append((item["owner"], code, year, value))
        target = item["target"]
        if target is not None:
            ranged = item["direction"] == "range"
            targets.append(
                {
                    "series": code,
                    "place": item["owner"],
                    "target": None if ranged else target,
                    "target_lower": target if ranged else None,
                    "target_upper": target + item["width"] if ranged else None,  # type: ignore[operator]
                    "baseline": None,
                    "target_year": 2030,
                    "target_scope": "local",
                }
            )
    observations = pl.DataFrame(rows, schema=U4SSC.schema, orient="row")
    return local, observations, pl.DataFrame(targets, schema=TARGET_SCHEMA)


@settings(max_examples=25)
@given(st.lists(local_indicator, min_size=1, max_size=5))
def test_no_u4ssc_score_moves_whatever_local_indicators_are_added(found: list[dict[str, object]]) -> None:
    local, observations, local_targets = _local_frames(found)
    both = score_with_local(
        pl.concat([U4SSC, observations]),
        CATALOGUE,
        local,  # type: ignore[arg-type]
        targets=pl.concat([DEFAULT_TARGETS, local_targets]),
        peers=PLACES,
    )
    groups = ["level", "code", "place", "year"]
    assert_frame_equal(both.aggregates.sort(groups), BASE.aggregates.sort(groups))
    u4ssc = both.series.filter(~pl.col("series").is_in(list(local))).select(BASE.series.columns)
    key = ["place", "series", "year"]
    assert_frame_equal(u4ssc.sort(key), BASE.series.sort(key))
    # Every local value is scored, by the same lenses, and has no peers.
    mine = both.series.filter(pl.col("series").is_in(list(local)))
    assert mine.height == observations.height
    for row in mine.iter_rows(named=True):
        assert all(row[c] is None for c in PEER_COLUMNS)
        assert row["category"] == "LOCAL"
        if row["achievement"] is not None:
            assert 0 <= row["achievement"] <= 100
            assert row["points"] in (1, 2, 3, 4)
            assert row["target_scope"] == "local"
        else:
            assert row["points"] is None and row["status"] == "no_benchmark"


def test_a_local_target_of_2_and_a_value_of_1_5_is_75_percent_and_3_points() -> None:
    # Hand-computed: 1.5 / 2 = 75 % → band 3 (66–95 %), as for any U4SSC series.
    code = local_code("5001", "cycle")
    observations = pl.DataFrame({"place": ["5001"], "series": [code], "year": [2024], "value": [1.5]})
    targets = pl.DataFrame(
        [{"series": code, "place": "5001", "target": 2.0, "target_scope": "local"}], schema=TARGET_SCHEMA
    )
    scores = score_with_local(
        observations, CATALOGUE, {code: ("higher", (11,))}, targets=targets, peers=PLACES
    )
    [row] = scores.series.to_dicts()
    assert (row["achievement"], row["points"]) == (75.0, 3)
    assert scores.aggregates.height == 0


def test_local_codes_cannot_collide_with_u4ssc_codes() -> None:
    assert is_local_code("LOCAL:5001:cycle") and is_local_code("local: 5001: cycle")
    assert not any(
        is_local_code(s.code) or is_local_code(i.code) for i in CATALOGUE.indicators for s in i.series
    )


FIELDS = {f for f in LocalIndicatorInput.__dataclass_fields__}


@settings(max_examples=200)
@given(
    st.builds(
        LocalIndicatorInput,
        slug=st.text(max_size=45),
        name_nb=st.text(max_size=5),
        name_nn=st.text(max_size=5),
        unit=st.text(max_size=5),
        direction=st.sampled_from(["higher", "lower", "range", "", "up"]),
        target=st.text(max_size=6) | st.floats(allow_nan=True).map(str),
        target_lower=st.text(max_size=6),
        target_upper=st.text(max_size=6),
        baseline=st.text(max_size=6),
        target_year=st.text(max_size=5),
        target_source=st.text(max_size=5),
        goals=st.lists(st.text(max_size=3), max_size=3).map(tuple),
    )
)
def test_any_input_gets_an_indicator_or_problems_that_name_a_field(given_input: LocalIndicatorInput) -> None:
    checked, problems = check(given_input)
    assert (checked is None) == bool(problems)
    assert all(p.column in FIELDS for p in problems)
    if checked is not None:
        assert checked.names.en or checked.names.nb or checked.names.nn
        assert checked.direction in ("higher", "lower", "range")
        assert not checked.has_target or checked.target_source


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"direction": "range", "target_lower": "5"}, "target_upper"),
        ({"direction": "range", "target_lower": "5", "target_upper": "5"}, "target_upper"),
        ({"direction": "higher", "target": "0"}, "target"),
        ({"direction": "lower", "target": "0"}, "baseline"),
        ({"direction": "lower", "target": "0", "baseline": "-1"}, "baseline"),
        ({"direction": "higher", "target": "10", "target_source": " "}, "target_source"),
        ({"direction": "higher", "target_year": "2030"}, "target_year"),
        ({"direction": "higher", "target": "1,000", "target_source": "x"}, "target"),
    ],
)
def test_target_rules(changes: dict[str, str], column: str) -> None:
    base = {"slug": "x", "name_nb": "X", "unit": "%", "target_source": "Council decision"}
    _, problems = check(LocalIndicatorInput(**(base | changes)))
    assert [p.column for p in problems] == [column]
