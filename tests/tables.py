"""Build ImportTables in tests the way a reader would (text as typed)."""

from __future__ import annotations

import polars as pl

from berekraft.importers.base import IMPORT_COLUMNS, IMPORT_SCHEMA


def table(*rows: dict[str, str]) -> pl.DataFrame:
    """Rows given as dicts of text; ``_row`` defaults to the spreadsheet row (header is row 1)."""
    full = [{c: "" for c in IMPORT_COLUMNS} | {"_row": str(i + 2)} | row for i, row in enumerate(rows)]
    return pl.DataFrame(full, schema=IMPORT_SCHEMA)
