"""Properties of validation that hold for every table: the vectorised validation (polars
expressions over the whole table) finds the same problems, in the same order, and the same typed
rows and mapped codes as the row-by-row validation it replaced (tests/core/reference_validation.py),
and parses every number as ``parse_number`` does."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from berekraft.core.catalogue import Names, load_catalogue, normalise_code
from berekraft.core.local import catalogue_entry
from berekraft.core.numbers import parse_number, parse_numbers
from berekraft.core.text import WHITESPACE
from berekraft.core.validation import validate
from berekraft.core.validation_types import Context, PlaceInfo, Validated
from tests.core import reference_validation
from tests.tables import table

PLACES = {
    "5001": PlaceInfo("5001", "Trondheim", date(2020, 1, 1), None, 214565),
    "1506": PlaceInfo("1506", "Molde", date(2020, 1, 1), None, 32816),
    "0301": PlaceInfo("0301", "Oslo", date(2020, 1, 1), None, 717710),
    "1835": PlaceInfo("1835", "Træna", date(2020, 1, 1), None, 440),
    "3025": PlaceInfo("3025", "Asker", date(2020, 1, 1), date(2023, 12, 31), None),
    "3203": PlaceInfo("3203", "Asker", date(2024, 1, 1), None, 0),
    "1507": PlaceInfo("1507", "Ålesund", date(2020, 1, 1), date(2023, 12, 31), None),
    "1508": PlaceInfo("1508", "Ålesund", date(2024, 1, 1), None, 58509),
    "1580": PlaceInfo("1580", "Haram", date(2024, 1, 1), None, 9000),
    "30": PlaceInfo("30", "Viken", date(2020, 1, 1), date(2023, 12, 31), None),
}
SUCCESSORS = {
    "3025": [("3203", 1.0)],
    "1507": [("1508", 0.86), ("1580", 0.14)],
    "30": [("31", 0.24), ("32", 0.56), ("33", 0.2)],
}
LOCAL_CODE = "LOCAL: MOLDE: 1"
LOCAL = catalogue_entry(
    code=LOCAL_CODE, names=Names("Trees", "Trær", "Tre"), unit="count", direction="higher", goals=(15,)
)

PLACE_TEXTS = ["5001", "1506", "301", "0301", " 1835 ", "3025", "1507", "30", "3203", "9999", "", "Mol", "xx"]
INDICATORS = [
    "EC: I: WS: 1C",  # %, scale 100
    "ec: i: ws: 1c",
    "SC: SH: SA: 1C",  # per 100 000
    "EN: EN: AQ: 1C",  # several series
    "EN: EN: AQ: 1C/PM10",
    "EC: I: UP: 2A",  # yes/no, several series
    "SC: SH: SA: 3A",  # yes/no
    "EN: EN: AQ: 2C",  # tonnes
    "EC: ICT: ICT: 1C",
    LOCAL_CODE,
    "XX",
    "",
]
KEYS = ["", "", "", "PM2.5", "pm10", "compact", "nope"]
YEARS = ["2021", "2022", "2023", "2024", " 2023 ", "1850", "", "２０２３", "2023.0"]
NUMBER_TEXTS = [
    "",
    "0",
    "1",
    "50",
    "-3",
    "150",
    "12,5",
    "1,000",
    "1 234",
    "−2",
    "abc",
    "60 kWh",
    "60 %",
    "-",
    "–",
    "1e3",
    "+5",
    " 7 ",
    "0,5",
    "nan",
    "100",
    "3",
    "2",
]
QUALITIES = ["", "measured", "Accurate measurements", " survey ", "guess"]
TEXTS = ["", " kilde ", "SSB"]

numbers = st.one_of(
    st.sampled_from(NUMBER_TEXTS),
    st.floats(min_value=-1e4, max_value=1e6, allow_nan=False).map(lambda x: f"{x:g}"),
    st.integers(min_value=0, max_value=300_000).map(str),
)
rows = st.fixed_dictionaries(
    {
        "place": st.sampled_from(PLACE_TEXTS),
        "indicator": st.sampled_from(INDICATORS),
        "series": st.sampled_from(KEYS),
        "year": st.sampled_from(YEARS),
        "value": numbers,
        "numerator": st.one_of(st.just(""), numbers),
        "denominator": st.one_of(st.just(""), numbers),
        "quality": st.sampled_from(QUALITIES),
        "origin": st.sampled_from(TEXTS),
        "source": st.sampled_from(TEXTS),
        "note": st.sampled_from(TEXTS),
    }
)
contexts = st.fixed_dictionaries(
    {
        "allowed": st.sampled_from([None, frozenset({"5001"}), frozenset({"5001", "1506", "3203"})]),
        "member": st.sampled_from([None, "5001"]),
        "members": st.sampled_from([frozenset(), frozenset({"3025", "30"})]),
        "previous": st.dictionaries(
            st.tuples(
                st.sampled_from(["5001", "1506", "3203"]),
                st.sampled_from(["EC: I: WS: 1C", "SC: SH: SA: 1C", "EC: ICT: ICT: 1C"]),
                st.sampled_from([2020, 2021, 2022]),
            ),
            st.floats(min_value=0, max_value=200, allow_nan=False),
            max_size=6,
        ),
    }
)


def _context(options: dict[str, object]) -> Context:
    return Context(
        catalogue=load_catalogue(),
        places=PLACES,
        successors=SUCCESSORS,
        years=(1990, 2025),
        file="data.csv",
        local={normalise_code(LOCAL_CODE): (*LOCAL, "1506")},
        **options,  # type: ignore[arg-type]
    )


def _split(result: Validated) -> tuple[list[object], set[object]]:
    """The problems in order, but the population spreads (per place and year) as a set: the
    reference listed them in polars' group order, which is not fixed."""
    spread = "population denominators for %(place)s %(year)s vary %(spread)s %% (rows %(rows)s)"
    return (
        [p for p in result.problems if p.message != spread],
        {p for p in result.problems if p.message == spread},
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=12), contexts)
def test_vectorised_validation_is_the_row_by_row_validation(
    given_rows: list[dict[str, str]], options: dict[str, object]
) -> None:
    frame = table(*given_rows)
    context = _context(options)
    expected = reference_validation.validate(frame, context)
    found = validate(frame, context)
    assert _split(found) == _split(expected)
    assert found.mapped == expected.mapped
    assert_frame_equal(found.rows, expected.rows)


@settings(max_examples=150, deadline=None)
@given(st.lists(rows, min_size=2, max_size=30))
def test_clean_rows_give_the_same_warnings_as_row_by_row(given_rows: list[dict[str, str]]) -> None:
    """Tables without errors reach the plausibility warnings: many rows of one place and series
    over consecutive years, with numerators and denominators."""
    clean = [
        {
            "place": "5001" if i % 2 else "1835",
            "indicator": ["SC: SH: SA: 1C", "EC: I: WS: 1C", "EC: ICT: ICT: 1C"][i % 3],
            "year": str(2000 + i // 6),
            "value": "" if r["numerator"] and r["denominator"] else r["value"],
            "numerator": r["numerator"],
            "denominator": r["denominator"],
        }
        for i, r in enumerate(given_rows)
    ]
    frame = table(*clean)
    context = _context(
        {"previous": {("5001", "EC: I: WS: 1C", 1999): 40.0, ("1835", "SC: SH: SA: 1C", 1999): 3.0}}
    )
    expected = reference_validation.validate(frame, context)
    found = validate(frame, context)
    assert _split(found) == _split(expected)
    assert_frame_equal(found.rows, expected.rows)


number_texts = st.one_of(
    st.text(alphabet="0123456789,.-+eE −\u00a0", max_size=12),
    st.text(alphabet="0123456789,.-" + WHITESPACE[:6] + "٣２_a", max_size=10),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=False).map(lambda x: f"{x:f}".replace(".", ",")),
    st.integers().map(str),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(number_texts, max_size=20))
def test_numbers_are_parsed_as_one_column_as_one_by_one(texts: list[str]) -> None:
    parsed = parse_numbers(pl.Series("t", texts, dtype=pl.String)).to_list()
    assert parsed == [parse_number(t) for t in texts]
