"""Scoring a part (core.partial): the scores of the changed series and of the aggregates they
reach equal, to the last bit, what scoring everything gives; and a series' scores depend on
nothing of another series (the property partial score runs rest on)."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from berekraft.core.catalogue import TARGET_SCHEMA, load_catalogue
from berekraft.core.local import score_local, score_with_local, series_meta
from berekraft.core.partial import STORED_SCHEMA, groups_of, score_part

LOCAL = "LOCAL:5001:sykkelveg"
SERIES = ("EC: I: WS: 1C", "EC: P: EM: 1C", "SC: SH: SI: 1C", "EN: EN: AQ: 1C/PM2.5", "EN: EN: AQ: 1C/PM10")
PLACES = ("5001", "1506", "1508")
YEARS = (2020, 2021, 2022)


def targets(*rows: tuple[str, str | None, float]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "series": series,
                "place": place,
                "target": value,
                "target_lower": None,
                "target_upper": None,
                "baseline": None,
                "target_year": 2030,
                "target_scope": "local" if place else "network",
            }
            for series, place, value in rows
        ],
        schema=TARGET_SCHEMA,
    )


def test_a_series_scores_do_not_depend_on_the_targets_of_other_series() -> None:
    """Found by tests/db/test_partial_runs.py: with its member's target the only place-bound one,
    polars held that target as a constant and divided by its reciprocal, so the normalised score
    (21 − 2.1) × 100 / (40 − 2.1) came out one bit lower than with a second member's target for
    another series beside it."""
    observations = pl.DataFrame(
        {
            "place": ["5001"] * 5,
            "series": [LOCAL] * 5,
            "year": range(2020, 2025),
            "value": [0.0, 21, 22, 23, 24],
        },
        schema={"place": pl.String, "series": pl.String, "year": pl.Int64, "value": pl.Float64},
    )
    meta = series_meta({LOCAL: ("higher", (11,))})
    alone = score_local(observations, meta, targets((LOCAL, "5001", 40.0)))
    beside = score_local(
        observations, meta, targets((LOCAL, "5001", 40.0), ("EN: EN: AQ: 1C/PM10", "1508", 8.0))
    )
    assert_frame_equal(alone.sort("year"), beside.sort("year"), check_exact=True)
    assert alone.sort("year")["normalised"][1] == (21 - 2.1) * 100 / (40 - 2.1)


values = st.one_of(st.none(), st.sampled_from((0.0, 12.5, 37.0, 100.0)), st.floats(-50, 1e4))


@settings(max_examples=10, deadline=None)
@given(
    data=st.lists(
        values,
        min_size=len(SERIES) * len(PLACES) * len(YEARS),
        max_size=len(SERIES) * len(PLACES) * len(YEARS),
    ),
    local=st.lists(values, min_size=len(YEARS), max_size=len(YEARS)),
    changed=st.sets(st.sampled_from((*SERIES, LOCAL)), min_size=1),
    target=st.sampled_from((None, 20.0, 80.0)),
)
def test_scoring_a_part_equals_scoring_everything(
    data: list[float | None], local: list[float | None], changed: set[str], target: float | None
) -> None:
    keys = [(p, s, y) for s in SERIES for p in PLACES for y in YEARS] + [("5001", LOCAL, y) for y in YEARS]
    observations = pl.DataFrame(
        [(*k, v) for k, v in zip(keys, [*data, *local], strict=True) if v is not None],
        schema={"place": pl.String, "series": pl.String, "year": pl.Int64, "value": pl.Float64},
        orient="row",
    )
    catalogue = load_catalogue()
    mine = {LOCAL: ("higher", (11,))}
    given_targets = targets(*(((LOCAL, "5001", target), (SERIES[0], "1506", target)) if target else ()))
    peers = list(PLACES[:2])
    everything = score_with_local(observations, catalogue, mine, targets=given_targets, peers=peers)
    # What the database holds of the other series' scores (every lens is of one series).
    stored = everything.series.filter(~pl.col("series").is_in(list(changed))).select(list(STORED_SCHEMA))
    part = score_part(
        observations.filter(pl.col("series").is_in(list(changed))),
        catalogue,
        mine,
        series=changed,
        stored=stored,
        targets=given_targets,
        peers=peers,
    )
    key = ["place", "series", "year"]
    expected = everything.series.filter(pl.col("series").is_in(list(changed))).sort(key)
    assert_frame_equal(
        part.series.sort(key), expected.select(part.series.columns), check_exact=True, check_dtypes=False
    )
    reached = pl.DataFrame(
        sorted(groups_of(catalogue.series_frame(), changed)),
        schema={"level": pl.String, "code": pl.String},
        orient="row",
    )
    aggregate_key = ["level", "code", "place", "year"]
    assert_frame_equal(
        part.aggregates.sort(aggregate_key),
        everything.aggregates.join(reached, on=["level", "code"], how="semi").sort(aggregate_key),
        check_exact=True,
    )
