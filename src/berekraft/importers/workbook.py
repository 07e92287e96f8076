"""The data-collection workbook (XLSX): the template a member fills in, and the reader for it.

``write_template`` makes one workbook per member and year, the way U4SSC's own collection template
works (one row per data point, numerator/denominator/value, a quality level from U4SSC's six, origin
and sources): sheet «Data» with one row per catalogue series, locked identification columns and a
protected sheet (no password: protection guards against slips, not against the user), a drop-down
for the quality level and decimal-only number cells; a hidden sheet «berekraft» with the member code
and year; and a sheet «Veiledning - Instructions» (a sheet name cannot contain «/»). A member with
local indicators of its own gets them on a sheet «Lokale indikatorer», laid out as «Data» and read
back with it (validation accepts a local series for its owner only).

The reader (registered as ``workbook``) reads that template (place and year from the hidden sheet,
indicator and series from the code column, rows without value/numerator/denominator skipped) and
also a plain workbook whose first sheet has a tidy header row (place, indicator, series, year,
value, …; Norwegian names accepted), so a member can bring a sheet of their own.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from berekraft.core.catalogue import Catalogue, Indicator, Series
from berekraft.core.problems import gettext_noop
from berekraft.errors import InputError
from berekraft.importers.base import Limits, Reader, register
from berekraft.importers.common import (
    QUALITY_LEVELS,
    column_for,
    header_problems,
    quality_key,
    quality_label,
    refuse,
    split_series_code,
    table,
)
from berekraft.importers.workbook_guide import GUIDE_SHEET, write_guide
from berekraft.importers.xlsx import open_workbook, sheet_rows

DATA_SHEET = "Data"
# The member's own local indicators (core.local), apart from the U4SSC rows: never mixed with them.
LOCAL_SHEET = "Lokale indikatorer"
META_SHEET = "berekraft"
FORMAT = "berekraft-template"
FORMAT_VERSION = "1"
# key, header text, width, input (unlocked) or locked
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("code", "Kode / Code", 24, False),
    ("name", "Indikator / Indicator", 50, False),
    ("unit", "Enhet / Unit", 24, False),
    ("hint", "Formel / Formula", 24, False),
    ("numerator", "Teller / Numerator", 16, True),
    ("denominator", "Nevner / Denominator", 16, True),
    ("value", "Verdi / Value", 16, True),
    ("quality", "Kvalitet / Quality level", 44, True),
    ("origin", "Opphav / Origin", 22, True),
    ("source", "Kilde / Source", 32, True),
    ("note", "Merknad / Note", 40, True),
)
NUMBERS = ("numerator", "denominator", "value")
_HEADER_TO_KEY = {header.casefold(): key for key, header, _, _ in COLUMNS}


def formula_hint(indicator: Indicator) -> str:
    """«teller / nevner × 100» from the catalogue's numerator, denominator and scale."""
    if not indicator.denominator.en.strip():
        return "verdi / value"
    scale = f" × {indicator.scale:,}".replace(",", " ") if indicator.scale != 1 else ""
    return f"teller / nevner{scale}"


def _row_cells(indicator: Indicator, series: Series) -> dict[str, str]:
    name = indicator.names.nb or indicator.names.en
    if series.key:
        name = f"{name}: {series.names.nb or series.names.en}"
    unit = series.unit if series.unit and series.unit != indicator.unit.en else indicator.unit.nb
    return {"code": series.code, "name": name, "unit": unit, "hint": formula_hint(indicator)}


def write_template(
    path: Path,
    *,
    member_code: str,
    member_name: str,
    year: int,
    catalogue: Catalogue,
    existing: Mapping[str, Mapping[str, Any]] | None = None,
    local: Sequence[tuple[Indicator, Series]] = (),
) -> None:
    """Write the collection workbook for one member and year; ``existing`` (series code → value,
    numerator, denominator, quality (machine key), origin, source, note) pre-fills the rows.
    ``local``: the member's own local indicators, on a sheet of their own (LOCAL_SHEET)."""
    existing = existing or {}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    pairs = [(indicator, series) for indicator in catalogue.indicators for series in indicator.series]
    _write_rows(sheet, pairs, existing)
    if local:
        _write_rows(book.create_sheet(LOCAL_SHEET), list(local), existing)
    _metadata(book, member_code=member_code, member_name=member_name, year=year)
    write_guide(book.create_sheet(GUIDE_SHEET), member_name=member_name, year=year)
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)  # keeps «berekraft» hidden; no password
    book.save(path)


def _write_rows(
    sheet: Any, pairs: Sequence[tuple[Indicator, Series]], existing: Mapping[str, Mapping[str, Any]]
) -> None:
    """The header and one row per series, identification locked and the inputs open."""
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for col, (_, header, width, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = width
    keys = [key for key, _, _, _ in COLUMNS]
    row = 1
    for indicator, series in pairs:
        row += 1
        given = {**_row_cells(indicator, series), **_prefill(existing.get(series.code, {}))}
        for col, (key, _, _, editable) in enumerate(COLUMNS, start=1):
            target = text_cell(sheet, row, col, given.get(key))
            if editable:
                target.protection = Protection(locked=False)
            if key == "hint" and indicator.denominator.en.strip():
                text = (
                    f"Teller: {indicator.numerator.get('nb')}\n"
                    f"Nevner: {indicator.denominator.get('nb')}\n"
                    f"Numerator: {indicator.numerator.en}\n"
                    f"Denominator: {indicator.denominator.en}"
                )
                target.comment = Comment(text, "berekraft", width=320, height=120)
    last = max(row, 2)
    _validations(sheet, keys, last)
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


# Text a spreadsheet would run as a formula (OWASP «CSV Injection»); openpyxl itself turns any
# string beginning with «=» into a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write a cell; formula-like text is stored as a string (type «s», never «f») with Excel's
    quote prefix, so it stays text when edited and the import reads back exactly that text."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _prefill(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {
        k: v
        for k, v in values.items()
        if k in {"numerator", "denominator", "value", "origin", "source", "note"}
    }
    if values.get("quality"):
        out["quality"] = quality_label(str(values["quality"])) or str(values["quality"])
    return {k: v for k, v in out.items() if v is not None and v != ""}


def _validations(sheet: Any, keys: list[str], last: int) -> None:
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000000",
        formula2="1000000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tall / Number",
        error="Skriv et tall (desimaltegn: komma) / Enter a number",
    )
    quality = DataValidation(
        type="list",
        formula1="quality_levels",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kvalitet / Quality",
        error="Velg et nivå fra listen / Pick a level from the list",
    )
    value = get_column_letter(keys.index("value") + 1)
    # The value column also takes «-»: "not reported", which clears a value (core.validation).
    value_or_dash = DataValidation(
        type="custom",
        formula1=f'OR(ISNUMBER({value}2),{value}2="-")',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tall / Number",
        error="Skriv et tall, eller - for ikke rapportert / Enter a number, or - for not reported",
    )
    value_or_dash.add(f"{value}2:{value}{last}")
    sheet.add_data_validation(value_or_dash)
    for key in NUMBERS:
        if key == "value":
            continue
        letter = get_column_letter(keys.index(key) + 1)
        numbers.add(f"{letter}2:{letter}{last}")
    letter = get_column_letter(keys.index("quality") + 1)
    quality.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(numbers)
    sheet.add_data_validation(quality)


def _metadata(book: Workbook, *, member_code: str, member_name: str, year: int) -> None:
    meta = book.create_sheet(META_SHEET)
    entries = (
        ("format", FORMAT),
        ("version", FORMAT_VERSION),
        ("member_code", member_code),
        ("member_name", member_name),
        ("year", str(year)),
    )
    for i, (key, value) in enumerate(entries, start=1):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=value).number_format = "@"
    for i, key in enumerate(QUALITY_LEVELS, start=1):
        meta.cell(row=i, column=4, value=quality_label(key))
    reference = f"{quote_sheetname(META_SHEET)}!$D$1:$D${len(QUALITY_LEVELS)}"
    book.defined_names["quality_levels"] = DefinedName("quality_levels", attr_text=reference)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True


def read_workbook(path: Path, limits: Limits) -> pl.DataFrame:
    with open_workbook(path, limits) as book:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            names = list(book.sheetnames)
        if META_SHEET in names and DATA_SHEET in names:
            meta = {r[0]: (r[1] if len(r) > 1 else "") for _, r in sheet_rows(path, book, META_SHEET, limits)}
            if meta.get("format") == FORMAT:
                sheets = [DATA_SHEET, *([LOCAL_SHEET] if LOCAL_SHEET in names else [])]
                return pl.concat([_read_template(path, book, meta, limits, sheet) for sheet in sheets])
        if not names:
            raise refuse(path, gettext_noop("the workbook has no sheets"))
        return _read_generic(path, book, names[0], limits)


def _read_template(
    path: Path, book: Any, meta: Mapping[str, str], limits: Limits, sheet: str = DATA_SHEET
) -> pl.DataFrame:
    """One sheet of the template: «Data» (U4SSC) or «Lokale indikatorer» (the member's own)."""
    rows = sheet_rows(path, book, sheet, limits)
    if not rows or rows[0][0] != 1:
        raise refuse(
            path,
            gettext_noop("sheet %(sheet)r has lost its header row"),
            gettext_noop("Download a new template"),
            params=(("sheet", sheet),),
        )
    header = [_HEADER_TO_KEY.get(h.casefold()) or column_for(h) or "" for h in rows[0][1]]
    if "code" not in header:
        raise refuse(
            path,
            gettext_noop("sheet %(sheet)r has no Kode / Code column"),
            gettext_noop("Download a new template"),
            params=(("sheet", sheet),),
            row=1,
        )
    records = []
    for number, texts in rows[1:]:
        cells = {key: texts[i] if i < len(texts) else "" for i, key in enumerate(header) if key}
        if not any(cells.get(k) for k in NUMBERS):
            continue
        indicator, series = split_series_code(cells.get("code", ""))
        records.append(
            {
                **cells,
                "_sheet": sheet,
                "_row": str(number),
                "place": meta.get("member_code", ""),
                "indicator": indicator,
                "series": series,
                "year": meta.get("year", ""),
                "quality": quality_key(cells.get("quality", "")),
            }
        )
    return table(records)


def _read_generic(path: Path, book: Any, sheet: str, limits: Limits) -> pl.DataFrame:
    rows = sheet_rows(path, book, sheet, limits)
    if not rows:
        raise refuse(
            path,
            gettext_noop("the first sheet (%(sheet)r) is empty"),
            gettext_noop("Put the data on the first sheet"),
            params=(("sheet", sheet),),
        )
    number, header = rows[0]
    names = [column_for(h) for h in header]
    problems = header_problems(names, path.name, sheet)
    if problems:
        problems = [replace(p, row=number) for p in problems]
        raise InputError(problems, summary=f"{path.name} is neither a berekraft template nor a tidy sheet")
    records = []
    for row_number, texts in rows[1:]:
        cells = {key: texts[i] if i < len(texts) else "" for i, key in enumerate(names) if key}
        cells["quality"] = quality_key(cells.get("quality", ""))
        records.append({**cells, "_sheet": sheet, "_row": str(row_number)})
    return table(records)


register(
    Reader(
        name="workbook",
        description="Excel workbook: berekraft's collection template, or a tidy header row on sheet 1",
        suffixes=(".xlsx",),
        read=read_workbook,
    )
)
