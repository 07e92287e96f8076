"""Open SDG CSV: indicator (and series) from the file name or columns; headline rows per place only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.opensdg_csv import code_from_file_name, read_opensdg_csv

from .conftest import FIXTURES, expected

LIMITS = Limits()


def test_indicator_from_the_file_name_breakdowns_and_national_rows_skipped() -> None:
    frame = read_opensdg_csv(FIXTURES / "importers" / "EC-I-T-8A.csv", LIMITS)
    assert_frame_equal(
        frame,
        expected(
            """
_row,place,indicator,series,year,value,note
4,0301,EC: I: T: 8A,,2023,46.2,Units: %
5,3203,EC: I: T: 8A,,2024,51,Units: %
6,1103,EC: I: T: 8A,,2024,,Units: %
"""
        ),
    )


def test_series_from_the_file_name_unless_a_series_column_says_otherwise() -> None:
    frame = read_opensdg_csv(FIXTURES / "importers" / "indicator_EN-EN-AQ-1C-PM2.5.csv", LIMITS)
    assert frame.select("place", "indicator", "series", "value").rows() == [
        ("0301", "EN: EN: AQ: 1C", "PM10", "16.5"),
        ("0301", "EN: EN: AQ: 1C", "PM2.5", "7.1"),
        ("5001", "EN: EN: AQ: 1C", "PM2.5", "6.4"),
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("EC-ICT-ICT-1C.csv", ("EC: ICT: ICT: 1C", "")),
        ("indicator_EN-EN-AQ-1C.csv", ("EN: EN: AQ: 1C", "")),
        ("indicator_EN-EN-WA-1C-open_dump.csv", ("EN: EN: WA: 1C", "open_dump")),
        ("indicator_1-1-1.csv", None),
        ("data.csv", None),
    ],
)
def test_code_from_file_name(name: str, code: tuple[str, str] | None) -> None:
    assert code_from_file_name(Path(name)) == code


def test_an_indicator_column_wins_over_a_file_name_without_code(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Year,Indicator,GeoCode,Value\n2024,SC-EH-ED-3C,1103,40100\n", encoding="utf-8")
    assert read_opensdg_csv(path, LIMITS).select("indicator", "place").row(0) == ("SC: EH: ED: 3C", "1103")


def test_no_code_anywhere_is_refused_with_the_naming_rule(tmp_path: Path) -> None:
    path = tmp_path / "indicator_1-1-1.csv"
    path.write_text("Year,GeoCode,Value\n2024,0301,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 problem") as caught:
        read_opensdg_csv(path, LIMITS)
    assert "EC-ICT-ICT-1C.csv" in caught.value.problems[0].hint_text()


def test_a_file_of_only_national_and_breakdown_rows_is_refused_with_counts(tmp_path: Path) -> None:
    path = tmp_path / "EC-I-T-8A.csv"
    shutil.copy(FIXTURES / "importers" / "EC-I-T-8A.csv", path)
    path.write_text("Year,Sex,GeoCode,Value\n2023,,,45\n2023,male,0301,44\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_opensdg_csv(path, LIMITS)
    assert "1 rows without GeoCode, 1 rows with a breakdown" in caught.value.problems[0].text()
