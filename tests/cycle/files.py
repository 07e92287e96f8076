"""Real files for the cycle test, written in the formats the real readers take: the tidy CSV and the
data-collection workbook (written by the same ``write_template`` a member downloads)."""

from __future__ import annotations

import csv
from pathlib import Path

from berekraft.core.catalogue import load_catalogue
from berekraft.importers.workbook import write_template

# What every value the test imports or enters says about itself.
SOURCE = "Kommunens fagsystem"


def indicator_and_key(series_code: str) -> tuple[str, str]:
    """``EN: EN: AQ: 1C/PM2.5`` → (``EN: EN: AQ: 1C``, ``PM2.5``); a single series has key ''."""
    indicator, _, key = series_code.partition("/")
    return indicator, key


def source_of(place: str) -> str:
    """Each member's sources carry its code, so a page can be searched for one member's drafts."""
    return f"{SOURCE} {place}"


def write_tidy_csv(path: Path, rows: list[tuple[str, str, int, float, str]]) -> Path:
    """rows: (place code as written, series code, year, value, source), one line each."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["place", "indicator", "series", "year", "value", "source"])
        for place, series, year, value, source in rows:
            indicator, key = indicator_and_key(series)
            out.writerow([place, indicator, key, year, repr(value), source])
    return path


def write_workbook(path: Path, *, member: str, name: str, year: int, values: dict[str, float]) -> Path:
    """The member's workbook for one year with only ``values`` (series code → value) filled in."""
    write_template(
        path,
        member_code=member,
        member_name=name,
        year=year,
        catalogue=load_catalogue(),
        existing={code: {"value": value, "source": source_of(member)} for code, value in values.items()},
    )
    return path
