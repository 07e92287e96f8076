"""The download-all zip as a Frictionless Data Package (https://specs.frictionlessdata.io/):
``datapackage.json`` describes each CSV with a Table Schema (field types, units, primary and
foreign keys), so a reader (frictionless, datapackage-r, Excel Power Query …) loads the tables with
the right types and joins them without guessing."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from berekraft.web.tables import Table


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


def field_type(name: str, values: list[Any]) -> str:
    if name in TEXT:
        return "string"
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return "string"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    if all(isinstance(v, dt.datetime) for v in present):
        return "datetime"
    if all(isinstance(v, dt.date) for v in present):
        return "date"
    return "string"


def schema(table: Table) -> dict[str, Any]:
    keys = KEYS.get(table.name, Keys())
    fields = []
    for c in table.columns:
        kind = field_type(c.key, [r.get(c.key) for r in table.rows])
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


def descriptor(tables: Sequence[Table], *, title: str, licence_url: str, notes: list[str]) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "berekraft-data",
        "title": title,
        "description": " ".join(notes),
        "licenses": [{"path": licence_url, "title": "CC BY 4.0" if "by/4.0" in licence_url else licence_url}],
        "resources": [
            {
                "name": t.name,
                "path": f"{t.name}.csv",
                "title": str(t.title),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(t),
            }
            for t in tables
        ],
    }


def package_zip(tables: Sequence[Table], *, title: str, licence_url: str, notes: list[str]) -> bytes:
    """The zip: ``datapackage.json``, a README and one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        readme = [title, "", *notes, licence_url, "", "Files (described in datapackage.json):"]
        readme += [f"  {t.name}.csv  {t.title}" for t in tables]
        archive.writestr("README.txt", "\n".join(readme) + "\n")
        meta = descriptor(tables, title=title, licence_url=licence_url, notes=notes)
        archive.writestr("datapackage.json", json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
        for t in tables:
            archive.writestr(f"{t.name}.csv", t.as_csv())
    return buffer.getvalue()
