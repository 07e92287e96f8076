"""read_file: picks the reader by suffix and sniffing, and refuses what no reader should see."""

from __future__ import annotations

from pathlib import Path

import pytest

from berekraft.errors import InputError
from berekraft.importers.base import IMPORT_COLUMNS, REGISTRY, Limits
from berekraft.importers.common import QUALITY_LEVELS
from berekraft.importers.registry import read_file

from .conftest import FIXTURES

LIMITS = Limits()


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("importers/tidy_comma.csv", "tidy_csv"),
        ("importers/tidy_semicolon_excel_nb.csv", "tidy_csv"),
        ("importers/EC-I-T-8A.csv", "opensdg_csv"),
        ("importers/indicator_EN-EN-AQ-1C-PM2.5.csv", "opensdg_csv"),
    ],
)
def test_reader_is_chosen_by_suffix_and_header(name: str, reader: str) -> None:
    chosen, frame = read_file(FIXTURES / name, LIMITS)
    assert chosen.name == reader
    assert tuple(frame.columns) == IMPORT_COLUMNS and frame.height > 0


def test_every_reader_is_registered() -> None:
    assert {"tidy_csv", "opensdg_csv", "workbook", "jsonstat"} <= set(REGISTRY)


def refused(path: Path, limits: Limits = LIMITS, reader: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_file(path, limits, reader)
    return " | ".join(str(p) for p in caught.value.problems)


def test_empty_missing_and_too_large_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in refused(empty)
    assert "does not exist" in refused(tmp_path / "nothing.csv")
    big = tmp_path / "big.csv"
    big.write_bytes(b"place,indicator,year,value\n" + b"0301,X,2024,1\n" * 1000)
    assert "more than the 0.0 MB accepted" in refused(big, Limits(max_bytes=1000))


@pytest.mark.parametrize(
    ("suffix", "words"),
    [
        (".xlsm", "macro-enabled"),
        (".xls", "old Excel"),
        (".ods", "OpenDocument"),
        (".pdf", "cannot be imported"),
        ("", "(no suffix)"),
    ],
)
def test_refused_suffixes_say_why(tmp_path: Path, suffix: str, words: str) -> None:
    path = tmp_path / f"data{suffix}"
    path.write_bytes(b"PK\x03\x04 whatever")
    assert words in refused(path)


def test_a_csv_of_neither_layout_lists_the_layouts(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    text = refused(path)
    assert "tidy_csv" in text and "opensdg_csv" in text


def test_an_unknown_reader_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a\n", encoding="utf-8")
    assert "no reader called 'pdf'" in refused(path, reader="pdf")


def test_quality_keys_are_the_observation_model_s_choices() -> None:
    from berekraft.observations.models import Observation

    assert list(QUALITY_LEVELS) == list(Observation.Quality.values)
