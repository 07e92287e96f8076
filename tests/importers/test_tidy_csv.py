"""Tidy CSV: comma or semicolon, UTF-8 with or without BOM; other encodings refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.tidy_csv import read_tidy_csv, sniff_delimiter

from .conftest import FIXTURES, expected

LIMITS = Limits()


def test_comma_separated_utf8_is_read_as_given_with_the_row_a_person_sees() -> None:
    frame = read_tidy_csv(FIXTURES / "importers" / "tidy_comma.csv", LIMITS)
    assert_frame_equal(
        frame,
        expected(
            """
_sheet,_row,place,indicator,series,year,value,numerator,denominator,quality,origin,source,note
,2,0301,EN: EN: AQ: 1C,PM2.5,2024,7.1,,,measured,målestasjon,NILU luftkvalitet,"årsmiddel, Kirkeveien"
,3,3203,SC: EH: ED: 3C,,2024,,41234,98000,measured,SSB,SSB 09429,
,5,1103,EC: ICT: ICT: 1C,,2023,97,,,,,,
"""
        ),
    )


def test_norwegian_excel_csv_with_bom_semicolons_and_decimal_commas() -> None:
    frame = read_tidy_csv(FIXTURES / "importers" / "tidy_semicolon_excel_nb.csv", LIMITS)
    assert_frame_equal(
        frame,
        expected(
            """
_row,place,indicator,series,year,value,quality,source
2,3201,EC: I: T: 8A,,2024,"41,7",measured,SSB 07849
3,1508,EN: EN: AQ: 1C,NO2,2023,"18,2",assumptions,Kommunen; måler
"""
        ),
    )


@pytest.mark.parametrize(
    ("header", "separator"),
    [("a,b,c", ","), ("a;b;c", ";"), ('"x,y";b;c', ";"), ("a\tb", "\t"), ("single", ",")],
)
def test_separator_is_taken_from_the_header_outside_quotes(header: str, separator: str) -> None:
    assert sniff_delimiter(header) == separator


def write(tmp_path: Path, data: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def problems(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(InputError) as caught:
        read_tidy_csv(path, limits)
    return " | ".join(str(p) for p in caught.value.problems)


def test_windows_1252_is_refused_naming_the_encoding_and_the_line(tmp_path: Path) -> None:
    data = "place,indicator,year,value\n0301,EC: ICT: ICT: 1C,2024,1\nBærum,x,2024,2\n".encode("cp1252")
    text = problems(write(tmp_path, data))
    assert "Windows-1252" in text and "UTF-8 is expected" in text and "row 3" in text


def test_utf16_is_refused(tmp_path: Path) -> None:
    assert "UTF-16" in problems(write(tmp_path, "place,indicator,year,value\n".encode("utf-16")))


def test_missing_columns_are_named(tmp_path: Path) -> None:
    text = problems(write(tmp_path, b"place,year,value\n0301,2024,1\n"))
    assert "lacks the column(s) indicator" in text


def test_numerator_and_denominator_may_replace_value(tmp_path: Path) -> None:
    path = write(tmp_path, b"place,indicator,year,numerator,denominator\n0301,X,2024,1,2\n")
    assert read_tidy_csv(path, LIMITS)["numerator"].to_list() == ["1"]


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    assert "names 'value' twice" in problems(write(tmp_path, b"place,indicator,year,value,verdi\n"))


def test_a_row_longer_than_the_header_is_reported_with_its_line(tmp_path: Path) -> None:
    text = problems(write(tmp_path, b"place,indicator,year,value\n0301,X,2024,1,5\n0301,X,2023,1\n"))
    assert "row 2" in text and "5 fields" in text


def test_too_many_rows_and_columns_are_refused(tmp_path: Path) -> None:
    rows = b"place,indicator,year,value\n" + b"0301,X,2024,1\n" * 11
    assert "more than 10 rows" in problems(write(tmp_path, rows), Limits(max_rows=10))
    wide = b",".join(b"c%d" % i for i in range(30)) + b"\n"
    assert "30 columns" in problems(write(tmp_path, wide), Limits(max_columns=20))
