"""Hostile files (issue 7, findings 9 and 10): the work is bounded, not only the bytes.

Cheap checks refuse before a parser builds anything (shown by making the parser fail if called),
and an upload is read in a child process with a deadline and a memory limit. Times and memory are
measured in bench/hostile_files.py, not asserted here.
"""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import openpyxl
import pytest

from berekraft.core import jsonstat
from berekraft.core.catalogue import load_catalogue
from berekraft.errors import InputError
from berekraft.importers import xlsx
from berekraft.importers.base import Limits
from berekraft.importers.jsonstat_file import read_jsonstat_file
from berekraft.importers.registry import read_file
from berekraft.importers.sandbox import read_file_isolated
from berekraft.importers.workbook import read_workbook, write_template

from .hostile_files import many_dimensions_jsonstat, shared_strings_workbook


@pytest.fixture(scope="module")
def ten_million_strings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_strings_workbook(tmp_path_factory.mktemp("hostile") / "strings.xlsx")


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("openpyxl was asked to parse a workbook the cheap checks should refuse")


def test_ten_million_shared_strings_are_refused_before_openpyxl_parses_them(
    ten_million_strings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "load_workbook", _never)
    with pytest.raises(InputError) as caught:
        read_workbook(ten_million_strings, Limits(max_strings=1_000_000))
    (problem,) = caught.value.problems
    assert problem.file == "strings.xlsx"
    assert "shared strings" in problem.message
    assert ("limit", 1_000_000) in problem.params


def test_shared_strings_with_a_namespace_prefix_are_counted_too(tmp_path: Path) -> None:
    path = tmp_path / "prefixed.xlsx"
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "<x:sst>" + "<x:si><x:t>a</x:t></x:si>" * 11 + "</x:sst>")
    with pytest.raises(InputError) as caught:
        read_workbook(path, Limits(max_strings=10))
    assert "shared strings" in caught.value.problems[0].message


def test_more_cells_than_accepted_are_refused_naming_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "cells.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in range(1, 11):
        sheet.append([row, row * 2, row * 3])  # 30 cells in 10 rows: 40 elements
    book.save(path)
    xlsx.check_xlsx(path, Limits(max_cells=40))  # exactly at the limit: accepted
    with pytest.raises(InputError) as caught:
        read_workbook(path, Limits(max_cells=39))
    (problem,) = caught.value.problems
    assert "cells" in problem.message
    assert ("part", "xl/worksheets/sheet1.xml") in problem.params


def _template(tmp_path: Path) -> Path:
    path = tmp_path / "asker-2024.xlsx"
    existing = {"EC: ICT: ICT: 1C": {"value": 81.5, "source": "SSB 12345"}}
    write_template(
        path,
        member_code="3203",
        member_name="Asker",
        year=2024,
        catalogue=load_catalogue(),
        existing=existing,
    )
    return path


def test_an_isolated_read_gives_what_an_in_process_read_gives(tmp_path: Path) -> None:
    path = _template(tmp_path)
    reader, frame = read_file_isolated(path, Limits())
    assert reader.name == "workbook"
    assert frame.equals(read_file(path, Limits())[1])
    assert frame.select("place", "year", "value", "source").rows() == [("3203", "2024", "81.5", "SSB 12345")]


def test_a_refusal_in_the_child_comes_back_with_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "not-a-workbook.xlsx"
    path.write_text("place,indicator\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_file_isolated(path, Limits())
    assert caught.value.problems[0].file == "not-a-workbook.xlsx"
    assert "not an .xlsx" in caught.value.problems[0].message


def test_a_read_past_its_deadline_is_stopped_and_the_child_killed(ten_million_strings: Path) -> None:
    # With the strings limit lifted, openpyxl would spend a minute building the strings.
    limits = Limits(max_strings=10**9, timeout=1.0)
    with pytest.raises(InputError) as caught:
        read_file_isolated(ten_million_strings, limits)
    (problem,) = caught.value.problems
    assert problem.file == "strings.xlsx"
    assert "longer than" in problem.message
    assert ("limit", "1") in problem.params
    assert multiprocessing.active_children() == []  # killed and reaped


def test_a_read_beyond_its_memory_limit_is_refused_as_such(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text("place,indicator,year,value\n" + "3203,EC: ICT: ICT: 1C,2024,1\n" * 150_000)  # 4 MB
    with pytest.raises(InputError) as caught:
        read_file_isolated(path, Limits(max_memory=1024 * 1024))  # 1 MB: not even the file's bytes fit
    (problem,) = caught.value.problems
    assert problem.file == "values.csv"
    assert "memory" in problem.message


def test_a_jsonstat_file_of_220000_dimensions_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 7, finding 10: 3.3 GB and 23 s before «no table id». The table id is looked up first.
    path = many_dimensions_jsonstat(tmp_path / "wide.json")
    monkeypatch.setattr(jsonstat, "_dimension", _never)
    with pytest.raises(InputError) as caught:
        read_jsonstat_file(path, Limits())
    (problem,) = caught.value.problems
    assert problem.file == "wide.json"
    assert "which SSB table" in problem.message


def test_a_jsonstat_file_of_a_known_table_with_too_many_dimensions_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = many_dimensions_jsonstat(tmp_path / "wide.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "extension": {"px": {"tableid": "09429"}}}), encoding="utf-8")
    monkeypatch.setattr(jsonstat, "_dimension", _never)
    with pytest.raises(InputError) as caught:
        read_jsonstat_file(path, Limits())
    assert ("error", "the dataset has 220000 dimensions, more than the 32 accepted") in caught.value.problems[
        0
    ].params
