"""The download-all zip as a Frictionless Data Package (https://specs.frictionlessdata.io/):
``datapackage.json`` describes each CSV with a Table Schema (field types, units, primary and
foreign keys), so a reader (frictionless, datapackage-r, Excel Power Query …) loads the tables with
the right types and joins them without guessing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from berekraft.web.tables import Column, Table, csv_cell


@dataclass(frozen=True)
class Keys:
    primary: tuple[str, ...] = ()
    foreign: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)
    units: dict[str, str] = field(default_factory=dict)  # field → unit, or where the unit is given


UNIT_OF_SERIES = "the unit of the row's series (series.csv, column unit)"
PERCENT = "% (0–100)"
# The tables of selectors.export, their keys and units.
KEYS: dict[str, Keys] = {
    "members": Keys(primary=("code",), units={"population": "inhabitants"}),
    "series": Keys(primary=("code",)),
    "targets": Keys(
        foreign=(("series", "series", "code"), ("place", "members", "code")),
        units={"value": UNIT_OF_SERIES, "lower": UNIT_OF_SERIES, "upper": UNIT_OF_SERIES},
    ),
    "series_scores": Keys(
        primary=("place", "series", "year"),
        foreign=(("place", "members", "code"), ("series", "series", "code")),
        units={
            "value": UNIT_OF_SERIES,
            "target": UNIT_OF_SERIES,
            "target_lower": UNIT_OF_SERIES,
            "target_upper": UNIT_OF_SERIES,
            "achievement": PERCENT,
            "normalised": "0–100",
            "cagr": "per year (fraction)",
            "network_index": "network mean = 100",
        },
    ),
    "aggregate_scores": Keys(
        primary=("place", "level", "code", "year"),
        foreign=(("place", "members", "code"),),
        units={"percent": PERCENT, "coverage": "fraction (0–1)", "normalised": "0–100"},
    ),
    "values": Keys(
        primary=("place", "series", "year"),
        foreign=(("place", "members", "code"), ("series", "series", "code")),
        units={"value": UNIT_OF_SERIES},
    ),
}
# Codes are text even when they look like numbers (municipality 0301 keeps its zero).
TEXT = {"code", "place", "series", "county", "indicator", "goals"}
# Rows read and written at a time (a table of a million rows is never held whole).
CHUNK = 10_000


@dataclass
class Resource:
    """One table of the package: its columns and its rows (tuples in the columns' order), read
    once, while its CSV is written."""

    name: str
    title: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]]

    @classmethod
    def of(cls, table: Table) -> Resource:
        keys = [c.key for c in table.columns]
        return cls(table.name, table.title, table.columns, ([row.get(k) for k in keys] for row in table.rows))


def field_type(name: str, kinds: set[type]) -> str:
    """The Table Schema type of a column whose present values (not None, not "") are of ``kinds``."""
    if name in TEXT or not kinds:
        return "string"
    if all(issubclass(k, bool) for k in kinds):
        return "boolean"
    if all(issubclass(k, int) and not issubclass(k, bool) for k in kinds):
        return "integer"
    if all(issubclass(k, int | float) and not issubclass(k, bool) for k in kinds):
        return "number"
    if all(issubclass(k, dt.datetime) for k in kinds):
        return "datetime"
    if all(issubclass(k, dt.date) for k in kinds):
        return "date"
    return "string"


def schema(name: str, columns: Sequence[Column], kinds: Sequence[set[type]]) -> dict[str, Any]:
    keys = KEYS.get(name, Keys())
    fields = []
    for c, found in zip(columns, kinds, strict=True):
        kind = field_type(c.key, found)
        entry: dict[str, Any] = {"name": c.key, "title": str(c.label), "type": kind}
        if kind == "boolean":
            entry["trueValues"], entry["falseValues"] = ["True"], ["False"]
        if c.key in keys.units:
            entry["unit"] = keys.units[c.key]
        if c.key in keys.primary:
            entry["constraints"] = {"required": True}
        fields.append(entry)
    result: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if keys.primary:
        result["primaryKey"] = list(keys.primary)
    if keys.foreign:
        result["foreignKeys"] = [
            {"fields": own, "reference": {"resource": resource, "fields": other}}
            for own, resource, other in keys.foreign
        ]
    return result


def write_csv(resource: Resource, out: IO[str]) -> list[set[type]]:
    """Write the resource's CSV to ``out`` (cells as ``tables.csv_cell`` makes them) and return,
    per column, the types of its present values. Column by column over chunks of rows: the text
    cells are the only ones a Python function touches."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in resource.columns])
    kinds: list[set[type]] = [set() for _ in resource.columns]
    rows = iter(resource.rows)
    while chunk := list(islice(rows, CHUNK)):
        columns = list(zip(*chunk, strict=True))
        text = False
        for i, values in enumerate(columns):
            found = set(map(type, values))
            found.discard(type(None))
            if any(issubclass(k, str) for k in found):
                # Text: each distinct value made a cell once (codes and statuses repeat).
                distinct = set(values)
                cells = {v: csv_cell(v) for v in distinct}
                columns[i] = tuple(map(cells.__getitem__, values))
                text = True
                if not any(v for v in distinct if isinstance(v, str)):
                    found = {k for k in found if not issubclass(k, str)}  # "" is no value
            kinds[i] |= found
        if text:
            chunk = list(zip(*columns, strict=True))
        writer.writerows(chunk)
    return kinds


def descriptor(
    resources: Sequence[tuple[Resource, Sequence[set[type]]]],
    *,
    title: str,
    licence_url: str,
    notes: list[str],
) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "berekraft-data",
        "title": title,
        "description": " ".join(notes),
        "licenses": [{"path": licence_url, "title": "CC BY 4.0" if "by/4.0" in licence_url else licence_url}],
        "resources": [
            {
                "name": r.name,
                "path": f"{r.name}.csv",
                "title": str(r.title),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(r.name, r.columns, kinds),
            }
            for r, kinds in resources
        ],
    }


def write_package(
    out: IO[bytes],
    resources: Sequence[Resource],
    *,
    title: str,
    licence_url: str,
    notes: list[str],
    modified: dt.datetime | None = None,
) -> None:
    """The zip, written to ``out``: a README, one CSV per resource, and ``datapackage.json`` (last:
    its field types are those of the values written). Fast deflate: the CSVs of a 357-member
    network are 220 MB. Each file in it is dated ``modified`` (the data's time, not the time of
    writing: the same data give the same bytes, whoever makes the zip and when)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        readme = [title, "", *notes, licence_url, "", "Files (described in datapackage.json):"]
        readme += [f"  {r.name}.csv  {r.title}" for r in resources]
        archive.writestr(zip_member(archive, "README.txt", modified), "\n".join(readme) + "\n")
        written = []
        for r in resources:
            with (
                archive.open(zip_member(archive, f"{r.name}.csv", modified), "w") as raw,
                io.TextIOWrapper(raw, "utf-8", newline="") as text,
            ):
                written.append((r, write_csv(r, text)))
        meta = descriptor(written, title=title, licence_url=licence_url, notes=notes)
        archive.writestr(
            zip_member(archive, "datapackage.json", modified),
            json.dumps(meta, indent=1, ensure_ascii=False) + "\n",
        )


def zip_member(archive: zipfile.ZipFile, name: str, modified: dt.datetime | None) -> zipfile.ZipInfo:
    """A file of ``archive`` dated ``modified`` (its UTC date and time; 1980-01-01, the earliest
    a zip can hold, without one), compressed as the archive's own files are (``ZipFile.open(name,
    "w")`` dates them with the clock)."""
    when = modified.astimezone(dt.UTC).timetuple()[:6] if modified is not None else (1980, 1, 1, 0, 0, 0)
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = archive.compression
    info._compresslevel = archive.compresslevel  # type: ignore[attr-defined]  # as ZipFile.open sets it
    info.external_attr = 0o600 << 16  # as ZipFile.writestr sets it for a name
    return info
