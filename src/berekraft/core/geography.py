"""Norwegian places and reform links, read from ``berekraft/data/geography`` (see SOURCES.md).

Municipality codes are 4-digit strings and county codes 2-digit strings: a leading zero is part of
the code ("0301"), so codes are never numbers here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    code: str
    kind: str
    name: str
    name_nb: str
    parent: str
    population: int | None
    population_date: date | None
    area_km2: float | None
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    date: date
    kind: str
    from_code: str
    to_code: str
    weight: float
    note: str


@dataclass(frozen=True, slots=True)
class MemberRecord:
    network: str
    network_name: str
    code: str
    kind: str
    joined: date | None
    left: date | None
    note: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("berekraft.data").joinpath("geography", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


def places() -> list[PlaceRecord]:
    """Every place, parents before children (the file's order)."""
    return [
        PlaceRecord(
            code=r["code"],
            kind=r["kind"],
            name=r["name"],
            name_nb=r["name_nb"],
            parent=r["parent"],
            population=int(r["population"]) if r["population"] else None,
            population_date=_date(r["population_date"]),
            area_km2=float(r["area_km2"]) if r["area_km2"] else None,
            valid_from=_date(r["valid_from"]),
            valid_to=_date(r["valid_to"]),
        )
        for r in _rows("places.csv")
    ]


def changes() -> list[ChangeRecord]:
    return [
        ChangeRecord(
            date=date.fromisoformat(r["date"]),
            kind=r["kind"],
            from_code=r["from_code"],
            to_code=r["to_code"],
            weight=float(r["weight"]),
            note=r["note"],
        )
        for r in _rows("place_changes.csv")
    ]


def members() -> list[MemberRecord]:
    return [
        MemberRecord(
            network=r["code"],
            network_name=r["name"],
            code=r["member_code"],
            kind=r["member_kind"],
            joined=_date(r["joined"]),
            left=_date(r["left"]),
            note=r["note"],
        )
        for r in _rows("networks.csv")
    ]


def successors(code: str, records: list[ChangeRecord]) -> list[tuple[str, float]]:
    """The codes an old code became, with population weights (itself if it never changed)."""
    found = [(c.to_code, c.weight) for c in records if c.from_code == code]
    return found or [(code, 1.0)]
