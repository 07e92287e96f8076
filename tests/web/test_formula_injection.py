"""Formula injection (issue 7, finding 13): a text cell that a spreadsheet would run as a formula
(OWASP's CSV injection guidance: a leading =, +, -, @, tab or carriage return) goes out as text in
every export: the .csv twins, the download-all zip, the collection workbook, which the import
then reads back as the same text. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from berekraft.core.catalogue import load_catalogue
from berekraft.importers.base import Limits
from berekraft.importers.workbook import COLUMNS, read_workbook, write_template
from berekraft.web.selectors.export import export_zip
from berekraft.web.tables import Column, Table

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)", "\tTAB", "\rCR"]


def _table() -> Table:
    rows = [{"source": text, "value": -1.5} for text in HOSTILE] + [{"source": "SSB 09429", "value": -2}]
    return Table(
        name="t", title="T", columns=[Column("source", "Source"), Column("value", "Value")], rows=rows
    )


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def test_the_csv_twin_neutralises_formula_text_and_keeps_numbers() -> None:
    cells = _cells(_table().as_csv())
    assert [c[0] for c in cells] == [
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'-1+1",
        "'@SUM(A1)",
        "'\tTAB",
        "'\nCR",  # a CR inside a cell is written as LF (an unquoted CR would end the row)
        "SSB 09429",
    ]
    assert [c[1] for c in cells] == ["-1.5"] * 6 + ["-2"]  # a negative number is not text


def test_the_download_all_zip_neutralises_formula_text() -> None:
    with zipfile.ZipFile(io.BytesIO(export_zip([_table()], demo=False))) as archive:
        cells = _cells(archive.read("t.csv").decode("utf-8"))
    assert cells[0] == ['\'=HYPERLINK("http://x","y")', "-1.5"]
    assert cells[3] == ["'@SUM(A1)", "-1.5"]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    codes = [s.code for i in load_catalogue().indicators for s in i.series][: len(HOSTILE)]
    existing = {code: {"value": -1.5, "source": text} for code, text in zip(codes, HOSTILE, strict=True)}
    path = tmp_path / "asker-2024.xlsx"
    write_template(
        path,
        member_code="3203",
        member_name="Asker",
        year=2024,
        catalogue=load_catalogue(),
        existing=existing,
    )
    return path


def test_the_template_writes_formula_text_as_text(workbook: Path) -> None:
    sheet = openpyxl.load_workbook(workbook)["Data"]
    source = [key for key, *_ in COLUMNS].index("source") + 1
    value = [key for key, *_ in COLUMNS].index("value") + 1
    for row, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row, column=source)
        assert cell.data_type == "s"  # never "f", a live formula
        assert cell.value.strip() == text.strip()  # (XML turns a stored CR into LF)
        assert sheet.cell(row=row, column=value).value == -1.5
    with zipfile.ZipFile(workbook) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_the_template_reads_back_the_same_text(workbook: Path) -> None:
    frame = read_workbook(workbook, Limits())
    assert frame["source"].to_list()[: len(HOSTILE)] == [t.strip() for t in HOSTILE]
    assert frame["value"].to_list()[: len(HOSTILE)] == ["-1.5"] * len(HOSTILE)
