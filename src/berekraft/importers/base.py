"""The contract every reader fulfils, and the registry that picks one for a file.

A reader turns a file (or an online fetch) into an **ImportTable**: a polars DataFrame with one row
per value and these String columns, holding the text *as given* so that a problem can quote it:

    _sheet      sheet name ("" for CSV/JSON)
    _row        the row number a person sees in the file (header = 1) as text, or a JSON-stat
                cell reference such as "Region=0301, Tid=2023"
    place       place code as given ("301", "0301", "Oslo - Oslove" are for validation to judge)
    indicator   U4SSC indicator code as given
    series      series key (e.g. "PM2.5") or "" for single-series indicators
    year        as given
    value       as given ("" when only numerator/denominator are given)
    numerator, denominator, quality, origin, source, note     as given, "" when absent

Readers do not judge values (validation does, all problems at once) but they do refuse a file that
is not what it claims (not a zip, bad encoding, macros, too big, too many columns…) by raising
``berekraft.errors.InputError`` with Problems that say what and where. Readers never write to the
database and never touch the network, except ``ssb`` fetchers, which take an ``httpx`` transport.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

IMPORT_COLUMNS = (
    "_sheet",
    "_row",
    "place",
    "indicator",
    "series",
    "year",
    "value",
    "numerator",
    "denominator",
    "quality",
    "origin",
    "source",
    "note",
)
IMPORT_SCHEMA: dict[str, type[pl.DataType]] = dict.fromkeys(IMPORT_COLUMNS, pl.String)


@dataclass(frozen=True, slots=True)
class Limits:
    """What a reader accepts; configurable through settings (BEREKRAFT_IMPORT_*).

    The byte limit alone does not bound the work: 9 MB of .xlsx can hold 10 million shared
    strings. So an .xlsx is also bounded by the number of shared strings and of cells (counted in
    the compressed parts before openpyxl builds anything), and an upload is read in a child process
    that is killed after ``timeout`` seconds or when it needs more than ``max_memory`` bytes."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 200
    max_strings: int = 1_000_000
    max_cells: int = 4_000_000
    timeout: float = 30.0
    max_memory: int = 2048 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Reader:
    """A registered reader: a name, the file kinds it claims, and the function."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, Limits], pl.DataFrame]
    sniff: Callable[[Path], bool] = lambda path: True


REGISTRY: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    REGISTRY[reader.name] = reader
    return reader


def empty_table() -> pl.DataFrame:
    return pl.DataFrame(schema=IMPORT_SCHEMA)
