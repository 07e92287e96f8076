"""The row-by-row SSB mapping as it was before it became polars expressions (issue 9): the
reference that tests/importers/test_ssb_mapping_properties.py compares ``map_dataset`` with. Kept
as it was (but for this docstring and the imports); do not change it to make a property test pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from berekraft.core.jsonstat import Dataset
from berekraft.importers.common import cell_text, table
from berekraft.importers.ssb_mapping import (
    OLD_LABEL,
    PLACE,
    PLACEHOLDERS,
    MappingEntry,
    Population,
    check_entry,
    entry_values,
    normalise_region,
    population_from,
)


def map_dataset(
    dataset: Dataset,
    entries: Sequence[MappingEntry],
    *,
    population: Population | None = None,
    population_source: str = "gitt ved import",
) -> tuple[pl.DataFrame, list[str]]:
    """The ImportTable rows of every series entry for the dataset's table, and what kept an entry out.
    ``population`` (place → year → inhabitants) wins over population found in the dataset itself;
    ``population_source`` says where it came from, for the rows' source."""
    table_id = dataset.table_id
    mine = [e for e in entries if e.table == table_id]
    own = population_from(dataset, mine)
    skipped: list[str] = []
    records: list[dict[str, str]] = []
    region = dataset.dimension(str(dataset.role_dimension("geo")))
    labels = dict(zip(region.codes, region.labels, strict=True)) if region else {}
    for entry in (e for e in mine if e.series):
        problems = check_entry(dataset, entry)
        if problems:
            skipped += [f"{entry.id}: {p}" for p in problems]
            continue
        for row in entry_values(dataset, entry).iter_rows(named=True):
            record = _record(dataset, entry, row, (population or {}, own), labels, population_source)
            if record is not None:
                records.append(record)
    return table(records), skipped


def _record(
    dataset: Dataset,
    entry: MappingEntry,
    row: Mapping[str, Any],
    people: tuple[Population, Population],
    labels: Mapping[str, str],
    population_source: str,
) -> dict[str, str] | None:
    """One ImportTable row; ``people`` is (population given by the caller, population in the file)."""
    region_id, time_id = str(dataset.role_dimension("geo")), str(dataset.role_dimension("time"))
    original, year, x = str(row[region_id]), str(row[time_id]), row["x"]
    place = normalise_region(original)
    if PLACEHOLDERS.match(place) or not PLACE.match(place) or x is None:
        return None
    numerator = denominator = ""
    source = f"SSB, tabell {dataset.table_id} ({entry.contents}), CC BY 4.0"
    if entry.method == "ratio":
        d = row.get("d")
        if d is None or d == 0:
            return None
        value, numerator, denominator = x / d * entry.scale, cell_text(x), cell_text(d)
    elif entry.method == "per_100k":
        given, own = (p.get(place, {}).get(year) for p in people)
        inhabitants = given or own
        numerator = cell_text(x)
        if inhabitants:
            value, denominator = x / inhabitants * 100_000, cell_text(inhabitants)
            source += f"; folkemengde: {population_source if given else f'SSB, tabell {dataset.table_id}'}"
        else:
            value = None
    else:
        value = x
    notes = []
    label = labels.get(original, "")
    if place != original or OLD_LABEL.search(label):
        notes.append(f"SSB Region {original} «{label}»")
    status = " ".join(s for s in (row.get("x_status"), row.get("d_status")) if s)
    if status:
        notes.append(f"SSB status {status}")
    if value is None:
        notes.append(f"population missing for {place} {year}")
    return {
        "_sheet": "",
        "_row": f"{region_id}={original}, {time_id}={year}",
        "place": place,
        "indicator": entry.series.partition("/")[0].strip(),
        "series": entry.series.partition("/")[2].strip(),
        "year": year,
        "value": "" if value is None else cell_text(float(value)),
        "numerator": numerator,
        "denominator": denominator,
        "quality": entry.quality,
        "origin": "ssb",
        "source": source,
        "note": "; ".join(notes),
    }
