"""Open SDG CSV: one file per indicator, ``Year`` first, ``Value`` last, breakdown columns between,
and ``GeoCode`` (second to last) holding the place code (see reference data-sources.md §4).

Which indicator and series a row belongs to, in this order:

1. an ``Indicator`` column, when present, gives the indicator code of that row (``EC: ICT: ICT: 1C``
   or ``EC-ICT-ICT-1C``);
2. otherwise the **file name**: an optional ``indicator_`` prefix, then the four parts of the U4SSC
   code joined by ``-`` (``EC-ICT-ICT-1C.csv`` → ``EC: ICT: ICT: 1C``), after an optional Open SDG
   id prefix (``indicator_9-u4ssc-ec-ict-ict-1c.csv``, as berekraft's Open SDG download writes);
   anything after the fourth part is the series key (``indicator_EN-EN-AQ-1C-PM2.5.csv`` → series
   ``PM2.5``);
3. a ``Series`` column, when present and not blank, gives the series key and wins over the file name.

Rows that are not one place's headline value are **skipped**, as Open SDG's own layout implies:
a blank ``GeoCode`` is the national headline (not a berekraft place), and a non-blank value in any
other breakdown column (``Sex``, ``Age`` …) is a disaggregation that U4SSC does not score; a
``Place`` column (the name of the GeoCode's place) is not a breakdown. ``Units`` is kept in the
row's note. A file in which every row is skipped is refused, with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from berekraft.core.problems import gettext_noop
from berekraft.importers.base import Limits, Reader, register
from berekraft.importers.common import quality_key, read_text, refuse, table
from berekraft.importers.tidy_csv import parse_rows, sniff_delimiter, sniff_tidy

SPECIAL = {"year", "value", "geocode", "units", "series", "indicator"}
# The name of the place whose code is in GeoCode (berekraft's Open SDG download writes one): the
# geography, not a disaggregation, so a row with it is still the place's headline value.
PLACE_NAMES = {"place"}
# An optional Open SDG id prefix (``11-u4ssc-``, as berekraft's own Open SDG download names its files).
_NAME = re.compile(
    r"^(?:indicator_)?(?:\d{1,2}-u4ssc-)?([A-Za-z]+)-([A-Za-z]+)-([A-Za-z]+)-(\w+?)(?:-(.+))?$"
)
# Columns that describe a row rather than break it down; they go to the row, not to the skip rule.
ANNOTATIONS = {"source": "source", "note": "note", "quality": "quality", "origin": "origin"}


def code_from_file_name(path: Path) -> tuple[str, str] | None:
    """``indicator_EN-EN-AQ-1C-PM2.5.csv`` → (``"EN: EN: AQ: 1C"``, ``"PM2.5"``); None if no code."""
    found = _NAME.match(path.stem.strip())
    if not found:
        return None
    *parts, key = found.groups()
    return ": ".join(p.upper() for p in parts), key or ""


def _indicator_code(text: str) -> str:
    text = text.strip()
    return ": ".join(p.strip() for p in text.split("-")) if ":" not in text and "-" in text else text


def read_opensdg_csv(path: Path, limits: Limits) -> pl.DataFrame:
    text = read_text(path, limits)
    header, rows = parse_rows(path, text, limits)
    lowered = [h.casefold() for h in header]
    if not lowered or lowered[0] != "year" or lowered[-1] != "value":
        raise refuse(
            path,
            gettext_noop("is not an Open SDG CSV: the first column must be Year and the last Value"),
            gettext_noop("The header is %(header)s"),
            params=(("header", f"{', '.join(header[:6])}{' …' if len(header) > 6 else ''}"),),
            row=1,
        )
    at = {name: lowered.index(name) for name in SPECIAL | set(ANNOTATIONS) if name in lowered}
    breakdowns = [
        i for i, h in enumerate(lowered) if h not in SPECIAL and h not in ANNOTATIONS and h not in PLACE_NAMES
    ]
    from_name = code_from_file_name(path)
    if "indicator" not in at and from_name is None:
        raise refuse(
            path,
            gettext_noop("the file name does not name a U4SSC indicator and there is no Indicator column"),
            gettext_noop(
                "Name the file after the indicator, e.g. EC-ICT-ICT-1C.csv or indicator_EN-EN-AQ-1C-PM2.5.csv"
            ),
        )

    def cell(fields: list[str], name: str) -> str:
        i = at.get(name)
        return fields[i].strip() if i is not None and i < len(fields) else ""

    records, skipped = [], {"headline": 0, "breakdown": 0}
    for number, fields in rows:
        if any(i < len(fields) and fields[i].strip() for i in breakdowns):
            skipped["breakdown"] += 1
            continue
        if not cell(fields, "geocode"):
            skipped["headline"] += 1
            continue
        indicator, key = from_name or ("", "")
        if cell(fields, "indicator"):
            indicator = _indicator_code(cell(fields, "indicator"))
        units = cell(fields, "units")
        note = "; ".join(n for n in (cell(fields, "note"), f"Units: {units}" if units else "") if n)
        records.append(
            {
                "_sheet": "",
                "_row": str(number),
                "place": cell(fields, "geocode"),
                "indicator": indicator,
                "series": cell(fields, "series") or key,
                "year": cell(fields, "year"),
                "value": cell(fields, "value"),
                "quality": quality_key(cell(fields, "quality")),
                "origin": cell(fields, "origin"),
                "source": cell(fields, "source"),
                "note": note,
            }
        )
    if not records:
        raise refuse(
            path,
            gettext_noop(
                "no row holds a place's headline value (%(headline)s rows without GeoCode, "
                "%(breakdown)s rows with a breakdown such as Sex or Age)"
            ),
            gettext_noop("Give the municipality or county code in GeoCode and leave breakdown columns blank"),
            params=(("headline", skipped["headline"]), ("breakdown", skipped["breakdown"])),
        )
    return table(records)


def sniff_opensdg(path: Path) -> bool:
    """Open SDG's header: Year first and Value last (and not a tidy header that happens to be so)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline(10_000).strip()
    except OSError:
        return False
    names = [h.strip().strip('"').casefold() for h in first.split(sniff_delimiter(first))]
    return len(names) >= 2 and names[0] == "year" and names[-1] == "value" and not sniff_tidy(path)


register(
    Reader(
        name="opensdg_csv",
        description="Open SDG CSV (Year, breakdowns, GeoCode, Value); indicator from the file name",
        suffixes=(".csv",),
        read=read_opensdg_csv,
        sniff=sniff_opensdg,
    )
)
