"""Tidy CSV: ``place,indicator,series,year,value`` (+ numerator, denominator, quality, origin,
source, note), one row per value. ``series`` is optional (single-series indicators).

Norwegian Excel saves «CSV» with ``;`` between fields (the comma is the decimal mark), so the
separator is taken from the header line: ``;`` if it has any outside quotes, else ``,`` (a tab is
accepted too). Text must be UTF-8, with or without BOM: Excel's «CSV UTF-8» writes a BOM, plain
«CSV» writes Windows-1252, which is refused with a hint rather than guessed at (a wrong guess turns
«Bærum» into «BÃ¦rum» silently). Values are kept as text ("12,5" stays "12,5"): validation parses.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from berekraft.core.problems import Problem, gettext_noop
from berekraft.core.text import BLANK, WHITESPACE, stripped_column
from berekraft.errors import InputError
from berekraft.importers.base import IMPORT_COLUMNS, Limits, Reader, register
from berekraft.importers.common import column_for, header_problems, quality_key, read_utf8, refuse, table

DELIMITERS = (";", ",", "\t")


def sniff_delimiter(header: str) -> str:
    """The separator used in a header line: the first of ; , TAB that occurs outside quotes."""
    outside = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_rows(path: Path, text: str, limits: Limits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, fields) for each non-blank row, refusing structural problems: too many
    rows or columns, a row longer than the header, or a CSV the csv module cannot parse."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        header = next(reader, [])
        if len(header) > limits.max_columns:
            raise refuse(
                path,
                gettext_noop("the header has %(count)s columns, more than the %(limit)s accepted"),
                gettext_noop("Keep only the data columns"),
                params=(("count", len(header)), ("limit", limits.max_columns)),
                row=1,
            )
        rows: list[tuple[int, list[str]]] = []
        problems: list[Problem] = []
        for number, fields in enumerate(reader, start=2):
            if not any(f.strip() for f in fields):
                continue
            if len(rows) >= limits.max_rows:
                raise refuse(
                    path,
                    gettext_noop("the file has more than %(limit)s rows"),
                    gettext_noop("Split it into smaller files"),
                    params=(("limit", limits.max_rows),),
                    row=number,
                )
            if len(fields) > len(header) and any(f.strip() for f in fields[len(header) :]):
                if len(problems) < 100:
                    problems.append(
                        Problem(
                            gettext_noop("the row has %(fields)s fields, the header %(columns)s"),
                            file=path.name,
                            row=number,
                            hint=gettext_noop(
                                "Quote text that contains the separator, or remove the extra fields"
                            ),
                            params=(("fields", len(fields)), ("columns", len(header))),
                        )
                    )
                continue
            rows.append((number, fields))
    except csv.Error as exc:
        raise refuse(
            path,
            gettext_noop("cannot be read as CSV: %(error)s"),
            params=(("error", str(exc)),),
            row=reader.line_num or None,
        ) from None
    if problems:
        raise InputError(problems, summary=f"{path.name} cannot be imported")
    return [h.strip() for h in header], rows


def read_tidy_csv(path: Path, limits: Limits) -> pl.DataFrame:
    data = read_utf8(path, limits)
    fast = read_plain(path, data, limits)
    return fast if fast is not None else read_any(path, data.decode("utf-8-sig"), limits)


def read_any(path: Path, text: str, limits: Limits) -> pl.DataFrame:
    """The ImportTable of any CSV text, read by the csv module row by row."""
    header, rows = parse_rows(path, text, limits)
    names = [column_for(h) for h in header]
    problems = header_problems(names, path.name)
    if problems:
        raise InputError(problems, summary=f"{path.name} cannot be imported")
    positions = {c: i for i, c in enumerate(names) if c}
    records = []
    for number, fields in rows:
        record = {"_sheet": "", "_row": str(number)}
        for column, i in positions.items():
            record[column] = fields[i].strip() if i < len(fields) else ""
        record["quality"] = quality_key(record.get("quality", ""))
        records.append(record)
    return table(records)


def read_plain(path: Path, data: bytes, limits: Limits) -> pl.DataFrame | None:
    """The ImportTable of a CSV without quotes, read by polars (a country's file of a million rows
    in a second, where the csv module and a dict per row took a minute and gigabytes), or None
    for any file on which the two could differ: quotes, a carriage return that does not end a
    line, NUL, a blank header, a row longer than the header, a field over the csv module's limit.
    Then ``parse_rows`` reads it (and says what is wrong). Without quotes a record is a line, so
    the row numbers are the lines (tests/importers/test_tidy_csv_properties.py compares the two)."""
    if b'"' in data or b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    end = data.find(b"\n")
    first_line = (data if end < 0 else data[:end]).decode("utf-8-sig")
    if not first_line.strip(WHITESPACE + "\r"):
        return None
    try:
        frame = pl.read_csv(
            data,  # polars skips a BOM
            has_header=False,
            separator=sniff_delimiter(first_line),
            quote_char=None,
            infer_schema=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    longest = frame.select(pl.all().str.len_chars().max()).max_horizontal().item() if frame.width else 0
    if frame.height == 0 or (longest or 0) > csv.field_size_limit():
        return None
    header = [(h or "").strip() for h in frame.row(0)]
    if len(header) > limits.max_columns:
        raise refuse(
            path,
            gettext_noop("the header has %(count)s columns, more than the %(limit)s accepted"),
            gettext_noop("Keep only the data columns"),
            params=(("count", len(header)), ("limit", limits.max_columns)),
            row=1,
        )
    names = [column_for(h) for h in header]
    blank = pl.all_horizontal(pl.col(c).is_null() | pl.col(c).str.contains(BLANK) for c in frame.columns)
    rows = frame.with_row_index("_i", offset=1).slice(1)
    if rows.select(blank.any()).item():
        rows = rows.filter(~blank)
    if rows.height > limits.max_rows:
        raise refuse(
            path,
            gettext_noop("the file has more than %(limit)s rows"),
            gettext_noop("Split it into smaller files"),
            params=(("limit", limits.max_rows),),
            row=int(rows["_i"][limits.max_rows]),
        )
    problems = header_problems(names, path.name)
    if problems:
        raise InputError(problems, summary=f"{path.name} cannot be imported")
    given = {c: frame.columns[i] for i, c in enumerate(names) if c}
    result = rows.select(
        pl.lit("").alias("_sheet"),
        pl.col("_i").cast(pl.String).alias("_row"),
        *(
            stripped_column(rows, given[c]).fill_null("").alias(c) if c in given else pl.lit("").alias(c)
            for c in IMPORT_COLUMNS[2:]
        ),
    )
    qualities = result["quality"].unique().to_list()
    return result.with_columns(
        pl.col("quality").replace_strict(
            qualities, [quality_key(q) for q in qualities], return_dtype=pl.String
        )
    )


def sniff_tidy(path: Path) -> bool:
    """A tidy CSV names place and indicator in its header."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline(10_000)
    except OSError:
        return False
    names = {column_for(h.strip().strip('"')) for h in first.split(sniff_delimiter(first))}
    return {"place", "indicator"} <= names


register(
    Reader(
        name="tidy_csv",
        description="CSV with place, indicator, series, year, value (+ numerator, denominator, quality, …)",
        suffixes=(".csv", ".txt"),
        read=read_tidy_csv,
        sniff=sniff_tidy,
    )
)
