"""What every open-data format is written from: published values with their series and places.

Built by ``berekraft.web.selectors.published.published`` (one query path for pages, downloads and
the API); plain frozen dataclasses, so a format can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SeriesMeta:
    """One U4SSC series (a KPI, or one data point of a multi-point KPI)."""

    code: str  # "EN: EN: AQ: 1C/PM2.5"
    indicator: str  # "EN: EN: AQ: 1C"
    key: str  # "PM2.5", "" for a KPI with one series
    name: str
    indicator_name: str
    unit: str
    direction: str
    dimension: str
    category: str
    goals: tuple[int, ...]
    definition: str = ""


@dataclass(frozen=True, slots=True)
class PlaceMeta:
    code: str  # "5001", "15": leading zeros kept
    name: str
    kind: str  # kommune / fylkeskommune


@dataclass(frozen=True, slots=True)
class Value:
    """One published value: the last verified one, with the source and quality published with it."""

    place: str
    series: str
    year: int
    value: float
    quality: str = ""  # one of U4SSC's six levels (observations.models.Observation.Quality), or ""
    source: str = ""
    demo: bool = False
    data_origin: str = ""  # U4SSC template: where the data come from


@dataclass(frozen=True)
class Published:
    """A slice of the published data (one KPI, one member, or everything)."""

    title: str
    series: list[SeriesMeta]
    places: list[PlaceMeta]
    values: list[Value]
    demo: bool
    licence_url: str
    licence_note: str
    updated: datetime | None = None
    publisher: str = "Bærekraftsnettverket"
    site: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({v.year for v in self.values})

    def series_by_code(self) -> dict[str, SeriesMeta]:
        return {s.code: s for s in self.series}
