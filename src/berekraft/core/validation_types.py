"""What validation reads besides the table (Context, PlaceInfo) and what it returns (Validated
rows in ROW_SCHEMA, with every problem). The caller fills a Context from the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from berekraft.core.catalogue import Catalogue, Indicator, Series
from berekraft.core.problems import Problem


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None
    population: int | None


@dataclass(frozen=True, slots=True)
class Context:
    """What validation needs to know besides the table (read from the database by the caller)."""

    catalogue: Catalogue
    places: Mapping[str, PlaceInfo]
    successors: Mapping[str, list[tuple[str, float]]] = field(default_factory=dict)
    members: frozenset[str] = frozenset()  # codes kept as they are (e.g. Viken 30, a member until 2023)
    allowed: frozenset[str] | None = None  # places the writer may write; None = all
    member: str | None = None  # the place for rows that name none
    # Stored values (for the jumps from the year before): a mapping, or a frame (place, series, year,
    # value) as the import reads them from the database.
    previous: Mapping[tuple[str, str, int], float] | pl.DataFrame = field(default_factory=dict)
    years: tuple[int, int] = (1990, date.today().year)
    file: str = ""
    # Members' local indicators: normalised code → (indicator, its one series, owner's place code).
    local: Mapping[str, tuple[Indicator, Series, str]] = field(default_factory=dict)


@dataclass
class Validated:
    rows: pl.DataFrame
    problems: list[Problem]
    mapped: list[dict[str, object]]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


ROW_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "place": pl.String,
    "series": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "quality": pl.String,
    "data_origin": pl.String,
    "source": pl.String,
    "note": pl.String,
    "_sheet": pl.String,
    "_row": pl.String,
    "original_place": pl.String,
}
