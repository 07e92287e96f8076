"""Validation finds every problem at once and says where, what and how to fix it."""

from __future__ import annotations

from datetime import date

import pytest

from berekraft.core.catalogue import load_catalogue
from berekraft.core.numbers import is_ambiguous_number, parse_number
from berekraft.core.validation import validate
from berekraft.core.validation_types import Context, PlaceInfo
from tests.tables import table

PLACES = {
    "5001": PlaceInfo("5001", "Trondheim", date(2020, 1, 1), None, 214565),
    "1506": PlaceInfo("1506", "Molde", date(2020, 1, 1), None, 32816),
    "0301": PlaceInfo("0301", "Oslo", date(2020, 1, 1), None, 717710),
    "1835": PlaceInfo("1835", "Træna", date(2020, 1, 1), None, 440),
    "3025": PlaceInfo("3025", "Asker", date(2020, 1, 1), date(2023, 12, 31), None),
    "3203": PlaceInfo("3203", "Asker", date(2024, 1, 1), None, 98815),
    "1507": PlaceInfo("1507", "Ålesund", date(2020, 1, 1), date(2023, 12, 31), None),
    "1508": PlaceInfo("1508", "Ålesund", date(2024, 1, 1), None, 58509),
    "1580": PlaceInfo("1580", "Haram", date(2024, 1, 1), None, 9000),
}
SUCCESSORS = {"3025": [("3203", 1.0)], "1507": [("1508", 0.86), ("1580", 0.14)]}


def context(**changes: object) -> Context:
    base: dict[str, object] = {
        "catalogue": load_catalogue(),
        "places": PLACES,
        "successors": SUCCESSORS,
        "years": (1990, 2025),
        "file": "data.csv",
    }
    return Context(**(base | changes))  # type: ignore[arg-type]


def messages(result: object) -> list[str]:
    return [str(p) for p in result.problems]  # type: ignore[attr-defined]


def test_a_clean_table_passes_with_typed_rows() -> None:
    result = validate(
        table(
            {
                "place": "5001",
                "indicator": "EC: I: WS: 1C",
                "year": "2023",
                "value": "99,5",
                "quality": "accurate measurements",
                "source": "Kommunen",
            }
        ),
        context(),
    )
    assert result.problems == []
    row = result.rows.row(0, named=True)
    assert (row["place"], row["series"], row["year"], row["value"], row["quality"]) == (
        "5001",
        "EC: I: WS: 1C",
        2023,
        99.5,
        "measured",
    )


def test_every_error_in_a_file_is_reported_at_once_with_row_and_column() -> None:
    result = validate(
        table(
            {"place": "9999", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "50"},
            {"place": "5001", "indicator": "XX", "year": "2023", "value": "50"},
            {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "1850", "value": "abc"},
            {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "150"},
            {"place": "5001", "indicator": "SC: SH: SA: 8C", "year": "2023", "value": "-3"},
            {
                "place": "5001",
                "indicator": "EC: I: WS: 1C",
                "year": "2022",
                "value": "",
                "numerator": "120",
                "denominator": "100",
            },
            {
                "place": "5001",
                "indicator": "EC: I: WS: 1C",
                "year": "2021",
                "value": "50",
                "numerator": "10",
                "denominator": "100",
            },
            {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "60"},
            {"place": "5001", "indicator": "EC: I: WS: 2C", "year": "2023", "value": "60 kWh"},
            {"place": "5001", "indicator": "EC: I: WS: 3C", "year": "2023", "value": "6", "quality": "guess"},
        ),
        context(),
    )
    text = messages(result)
    assert result.rows.height == 0  # nothing comes through when anything is wrong
    expected = [
        "data.csv, row 2, place: is not a known place code (got '9999')",
        "row 3, indicator: is not a U4SSC indicator code (got 'XX')",
        "row 4, year: is not a year in range (got '1850')",
        "row 4, value: is not a number (got 'abc')",
        "row 5, value: is a percentage outside 0–100 (got '150')",
        "row 6, value: is negative, but this is a count, rate or share",
        "row 7, numerator: is larger than the denominator (100) for a share",
        "row 8, value: differs from numerator / denominator × 100 = 10",
        "row 9, value: the same place, series and year is already on row 5",
        "row 10, value: unit mismatch: the cell says 'kWh' but EC: I: WS: 2C is measured in '%'",
        "row 11, quality: is not one of U4SSC's six quality levels (got 'guess')",
    ]
    for fragment in expected:
        assert any(fragment in t for t in text), (fragment, text)


def test_value_is_computed_from_numerator_and_denominator_when_missing() -> None:
    result = validate(
        table(
            {
                "place": "5001",
                "indicator": "SC: SH: SA: 8C",
                "year": "2023",
                "value": "",
                "numerator": "300",
                "denominator": "214565",
            }
        ),
        context(),
    )
    assert result.rows["value"][0] == pytest.approx(300 / 214565 * 100_000)


def test_a_member_may_not_write_another_members_data() -> None:
    result = validate(
        table({"place": "1506", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "50"}),
        context(allowed=frozenset({"5001"})),
    )
    assert "belongs to another member" in messages(result)[0]


def test_old_codes_are_mapped_to_the_current_place_and_reported() -> None:
    result = validate(
        table(
            {"place": "3025", "indicator": "EC: I: WS: 1C", "year": "2022", "value": "99"},
            {"place": "1507", "indicator": "EC: I: WS: 1C", "year": "2022", "value": "99"},
            {"place": "301", "indicator": "EC: I: WS: 1C", "year": "2022", "value": "99"},
        ),
        context(),
    )
    assert result.errors == []
    assert result.rows["place"].to_list() == ["3203", "1508", "0301"]
    assert result.mapped == [
        {"from": "1507", "to": "1508", "rows": 1, "kind": "split"},
        {"from": "3025", "to": "3203", "rows": 1, "kind": "renumber"},
    ]


def test_members_that_existed_are_kept_under_their_own_code() -> None:
    result = validate(
        table({"place": "3025", "indicator": "EC: I: WS: 1C", "year": "2022", "value": "99"}),
        context(members=frozenset({"3025"})),
    )
    assert result.rows["place"].to_list() == ["3025"]


def test_warnings_do_not_block() -> None:
    result = validate(
        table(
            # a jump of 45 percentage points from the previous year in the database
            {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "95"},
            # population denominators 214565 vs 250000 (+17 %) within one submission
            {
                "place": "5001",
                "indicator": "SC: SH: SA: 8C",
                "year": "2023",
                "value": "",
                "numerator": "300",
                "denominator": "214565",
            },
            {
                "place": "5001",
                "indicator": "SC: SH: SA: 9C",
                "year": "2023",
                "value": "",
                "numerator": "10",
                "denominator": "250000",
            },
            # Træna: 2 events make a volatile rate
            {
                "place": "1835",
                "indicator": "SC: SH: SA: 8C",
                "year": "2023",
                "value": "",
                "numerator": "2",
                "denominator": "440",
            },
        ),
        context(previous={("5001", "EC: I: WS: 1C", 2022): 50.0}),
    )
    assert result.errors == [] and result.rows.height == 4
    text = messages(result)
    assert any("changed 45.0 percentage points from 2022" in t for t in text)
    assert any("population denominators for 5001 2023 vary 17 %" in t for t in text)
    assert any("built on about 2.0 events" in t for t in text)
    assert all(p.severity == "warning" for p in result.problems)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", 12.5),
        ("1 234", 1234.0),
        ("−3", -3.0),
        ("1\u00a0000,5", 1000.5),
        ("abc", None),
        ("nan", None),
        ("", None),
        ("1,0", 1.0),
        ("0,125", 0.125),
        ("1,0000", 1.0),
        ("-2,50", -2.5),
        # English thousands or a Norwegian decimal comma? Refused, never guessed.
        ("1,000", None),
        ("12,345", None),
        ("-1,000", None),
        ("1,000,000", None),
    ],
)
def test_numbers_as_people_write_them(text: str, number: float | None) -> None:
    assert parse_number(text) == number


def test_a_place_that_no_longer_existed_in_the_data_year_is_refused() -> None:
    """Viken (30) was dissolved on 2024-01-01: a 2024 value for it is an error, not a silent import."""
    places = {**PLACES, "30": PlaceInfo("30", "Viken", date(2020, 1, 1), date(2023, 12, 31), None)}
    successors = {**SUCCESSORS, "30": [("31", 0.24), ("32", 0.56), ("33", 0.2)]}
    result = validate(
        table(
            {"place": "30", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "99"},
            {"place": "30", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "99"},
        ),
        context(places=places, successors=successors, members=frozenset({"30"})),
    )
    assert [(p.row, p.column) for p in result.errors] == [(2, "place")]
    text = messages(result)[0]
    assert "30" in text and "2024" in text and "2023-12-31" in text
    assert "31, 32, 33" in text  # the hint names what the place became


def test_an_old_code_is_not_silently_remapped_for_a_year_after_it_ended() -> None:
    """1507 (Ålesund 2020–2023) with 2024 data: the code did not exist in 2024, so the file is wrong
    (2024's Ålesund, 1508, is another territory: Haram split off). Years the code existed still map."""
    result = validate(
        table(
            {"place": "1507", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "99"},
            {"place": "1507", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "99"},
        ),
        context(),
    )
    assert [(p.row, p.column) for p in result.errors] == [(2, "place")]
    assert "1508" in messages(result)[0]
    assert result.mapped == [{"from": "1507", "to": "1508", "rows": 1, "kind": "split"}]  # 2023 only


@pytest.mark.parametrize(
    "year", ["²", "２０２４", "2024.0", "20 24", "-2024", "99999999999999999999", "١٩٩٥"]
)
def test_a_year_that_is_not_four_ascii_digits_is_a_problem_not_a_crash(year: str) -> None:
    row = {"place": "5001", "indicator": "EC: I: WS: 1C", "year": year, "value": "1"}
    result = validate(table(row), context())
    assert [(p.column, p.severity) for p in result.problems] == [("year", "error")]


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [
        ("1,000", True),
        ("12,345", True),
        ("1,000,000", True),
        ("0,125", False),
        ("1,5", False),
        ("1000", False),
    ],
)
def test_a_comma_before_three_digits_is_ambiguous(text: str, ambiguous: bool) -> None:
    assert is_ambiguous_number(text) is ambiguous


def test_an_import_says_why_a_thousands_comma_is_refused() -> None:
    row = {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "1,000"}
    result = validate(table(row), context())
    assert [(p.column, p.value) for p in result.errors] == [("value", "1,000")]
    assert "is ambiguous" in messages(result)[0]
