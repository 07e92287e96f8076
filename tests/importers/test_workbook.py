"""The collection workbook: template layout, round trips (openpyxl and LibreOffice), the generic
tidy sheet, and the refusals (not a zip, macros, formulas, zip bombs, too large)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from berekraft.core.catalogue import load_catalogue
from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.common import QUALITY_LEVELS, quality_label
from berekraft.importers.workbook import COLUMNS, DATA_SHEET, META_SHEET, read_workbook, write_template
from berekraft.importers.workbook_guide import GUIDE_SHEET

from .conftest import expected

LIMITS = Limits()
LETTER = {key: openpyxl.utils.get_column_letter(i) for i, (key, *_) in enumerate(COLUMNS, start=1)}


def template(tmp_path: Path, existing: dict[str, dict[str, object]] | None = None) -> Path:
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


def row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, code: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet[f"{LETTER['code']}{r}"].value == code)


def test_template_has_one_row_per_series_locked_identity_and_open_input_cells(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template(tmp_path))
    assert book.sheetnames == [DATA_SHEET, META_SHEET, GUIDE_SHEET]
    sheet = book[DATA_SHEET]
    codes = [sheet[f"A{r}"].value for r in range(2, sheet.max_row + 1)]
    assert codes == [s.code for s in load_catalogue().series]
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.freeze_panes == "C2"
    row = row_of(sheet, "SC: EH: ED: 3C")
    assert sheet[f"{LETTER['hint']}{row}"].value == "teller / nevner × 100 000"
    assert sheet[f"{LETTER['unit']}{row}"].value == "per 100 000 innbyggere"
    for key, _, width, editable in COLUMNS:
        assert sheet[f"{LETTER[key]}{row}"].protection.locked is not editable, key
        assert sheet[f"{LETTER[key]}1"].protection.locked
        assert sheet.column_dimensions[LETTER[key]].width == width
    kinds = {v.type: str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert kinds["list"] == f"H2:H{sheet.max_row}"
    last = sheet.max_row
    assert kinds["decimal"] == f"E2:E{last} F2:F{last}"
    assert kinds["custom"] == f"G2:G{last}"  # the value: a number, or «-» for not reported
    meta = book[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert book.security is not None and book.security.lockStructure
    assert (meta["B3"].value, meta["B5"].value) == ("3203", "2024")
    assert [meta[f"D{i}"].value for i in range(1, 7)] == [quality_label(k) for k in QUALITY_LEVELS]
    guide = "\n".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value)
    for _, header, _, _ in COLUMNS:
        assert header in guide


def test_existing_values_are_prefilled(tmp_path: Path) -> None:
    path = template(tmp_path, {"EC: ICT: ICT: 1C": {"value": 97.5, "quality": "survey", "source": "SSB"}})
    sheet = openpyxl.load_workbook(path)[DATA_SHEET]
    row = row_of(sheet, "EC: ICT: ICT: 1C")
    assert sheet[f"{LETTER['value']}{row}"].value == 97.5
    assert (
        sheet[f"{LETTER['quality']}{row}"].value
        == "Ekstrapolert fra innbyggerundersøkelse / Extrapolated from a survey of inhabitants"
    )


TYPED = {
    "EC: ICT: ICT: 1C": {"value": 97.5, "quality": quality_label("survey")},
    "EN: EN: AQ: 1C/PM2.5": {"value": 7, "quality": "Accurate measurements", "source": "NILU"},
    "SC: EH: ED: 3C": {"numerator": 41234, "denominator": 98000, "quality": "higher_level"},
    "EC: I: T: 8A": {"value": 0.1, "note": "kun elbiler"},
}
EXPECTED = """
_sheet,_row,place,indicator,series,year,value,numerator,denominator,quality,origin,source,note
Data,{r1},3203,EC: ICT: ICT: 1C,,2024,97.5,,,survey,,,
Data,{r2},3203,EC: I: T: 8A,,2024,0.1,,,,,,kun elbiler
Data,{r3},3203,EN: EN: AQ: 1C,PM2.5,2024,7,,,measured,,NILU,
Data,{r4},3203,SC: EH: ED: 3C,,2024,,41234,98000,higher_level,,,
"""


def fill(path: Path) -> dict[str, int]:
    """Type values as a user would: numbers in the number cells, a label picked from the drop-down."""
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    rows = {}
    for code, cells in TYPED.items():
        rows[code] = row_of(sheet, code)
        for key, value in cells.items():
            sheet[f"{LETTER[key]}{rows[code]}"] = value
    book.save(path)
    return rows


def expected_rows(rows: dict[str, int]) -> pl.DataFrame:
    r = [rows[c] for c in ("EC: ICT: ICT: 1C", "EC: I: T: 8A", "EN: EN: AQ: 1C/PM2.5", "SC: EH: ED: 3C")]
    return expected(EXPECTED.format(r1=r[0], r2=r[1], r3=r[2], r4=r[3]))


def test_round_trip_returns_exactly_the_typed_values(tmp_path: Path) -> None:
    path = template(tmp_path)
    rows = fill(path)
    assert_frame_equal(read_workbook(path, LIMITS), expected_rows(rows))


def libreoffice_calc() -> bool:
    """Whether LibreOffice with its spreadsheet (Calc) is installed: a Writer-only install
    (libreoffice-writer-nogui, for the VLR's test) has ``soffice`` but cannot load a workbook."""
    soffice = shutil.which("soffice")
    return soffice is not None and (Path(soffice).resolve().parent / "libsclo.so").exists()


@pytest.mark.skipif(not libreoffice_calc(), reason="LibreOffice Calc is not installed")
def test_round_trip_through_libreoffice(tmp_path: Path) -> None:
    path = template(tmp_path)
    rows = fill(path)
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = out / path.name
    assert_frame_equal(read_workbook(converted, LIMITS), expected_rows(rows))
    sheet = openpyxl.load_workbook(converted)[DATA_SHEET]
    assert any(v.type == "list" for v in sheet.data_validations.dataValidation)


def generic(tmp_path: Path, rows: list[list[object]], name: str = "own.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_a_generic_workbook_with_a_tidy_header_is_read(tmp_path: Path) -> None:
    path = generic(
        tmp_path,
        [
            ["Sted", "Indikator", "Serie", "År", "Verdi", "Kvalitet"],
            [301, "EN: EN: AQ: 1C", "NO2", 2024, 21.5, "Personlig anslag"],
            [None, None, None, None, None, None],
            ["1103", "EC: ICT: ICT: 1C", None, 2023, 96, None],
        ],
    )
    assert_frame_equal(
        read_workbook(path, LIMITS),
        expected(
            """
_sheet,_row,place,indicator,series,year,value,quality
Sheet,2,301,EN: EN: AQ: 1C,NO2,2024,21.5,personal
Sheet,4,1103,EC: ICT: ICT: 1C,,2023,96,
"""
        ),
    )


def refused(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(InputError) as caught:
        read_workbook(path, limits)
    return " | ".join(str(p) for p in caught.value.problems)


def test_a_generic_workbook_without_the_columns_is_refused(tmp_path: Path) -> None:
    assert "lacks the column(s) place, indicator" in refused(
        generic(tmp_path, [["a", "year", "value"], [1, 2, 3]])
    )


def test_formulas_are_refused_naming_each_cell(tmp_path: Path) -> None:
    path = template(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    sheet["G2"] = "=E2/F2*100"
    sheet["G5"] = "=1+1"
    book.save(path)
    text = refused(path)
    assert "Data!G2 holds a formula" in text and "Data!G5" in text and "=E2/F2*100" in text


def test_macros_are_refused(tmp_path: Path) -> None:
    path = generic(tmp_path, [["place", "indicator", "year", "value"]])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    assert "contains macros" in refused(path)


def test_not_a_zip_old_xls_ods_and_damaged_zips_are_refused(tmp_path: Path) -> None:
    csv = tmp_path / "renamed.xlsx"
    csv.write_text("place,indicator\n", encoding="utf-8")
    assert "not an .xlsx workbook" in refused(csv)
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "old .xls" in refused(xls)
    ods = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert "OpenDocument" in refused(ods)
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    assert "not an Excel workbook" in refused(docx)
    broken = tmp_path / "broken.xlsx"
    good = generic(tmp_path, [["place"]]).read_bytes()
    broken.write_bytes(good[: len(good) // 2])
    assert "xlsx" in refused(broken)


def test_a_zip_bomb_is_refused_from_the_directory_before_reading(tmp_path: Path) -> None:
    path = generic(tmp_path, [["place", "indicator", "year", "value"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * 30_000_000)
    assert path.stat().st_size < 1_000_000
    assert "zip bomb" in refused(path, Limits(max_bytes=2_000_000))


def test_too_many_rows_or_columns_are_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [["place", "indicator", "year", "value"], *[["0301", "X", 2024, 1]] * 30]
    assert "more than 20 rows" in refused(generic(tmp_path, rows), Limits(max_rows=20))
    wide = generic(tmp_path, [[f"c{i}" for i in range(40)]], "wide.xlsx")
    assert "40 columns" in refused(wide, Limits(max_columns=30))
