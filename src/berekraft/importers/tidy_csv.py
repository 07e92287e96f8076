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
from berekraft.errors import InputError
from berekraft.importers.base import Limits, Reader, register
from berekraft.importers.common import column_for, header_problems, quality_key, read_text, refuse, table

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
    text = read_text(path, limits)
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
