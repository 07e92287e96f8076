"""Helpers for the reader tests: expected tables written as inline CSV (sdg-build's habit)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from berekraft.importers.base import IMPORT_COLUMNS, IMPORT_SCHEMA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def expected(text: str) -> pl.DataFrame:
    """An ImportTable from inline CSV naming only the columns that matter; the rest are ""."""
    rows = list(csv.DictReader(io.StringIO(text.strip())))
    return pl.DataFrame({c: [r.get(c) or "" for r in rows] for c in IMPORT_COLUMNS}, schema=IMPORT_SCHEMA)


def columns(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    return frame.select(names)
