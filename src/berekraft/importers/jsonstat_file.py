"""A JSON-stat 2.0 file as SSB returns it (PxWebApi v2 or v0 ``json-stat2``), mapped to U4SSC
series by the SSB mapping (see ssb_mapping.py and berekraft/data/ssb/mapping.yaml).

Offline import is the primary path (a member downloads the table from Statbank and uploads it),
so this reader does everything the online fetch does, from a file. The table is identified by
``extension.px.tableid`` or the ``"07459: …"`` label prefix. A table the mapping does not know,
or one that only gives population (a denominator, not a U4SSC series), is refused with what the
mapping does know.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from berekraft.core.jsonstat import Dataset, JsonStatError, loads, read_dataset, table_id_of
from berekraft.core.problems import gettext_noop
from berekraft.errors import InputError
from berekraft.importers.base import Limits, Reader, register
from berekraft.importers.common import read_text, refuse
from berekraft.importers.ssb_mapping import MappingEntry, Population, default_mapping, map_dataset

HINT = gettext_noop(
    "Download the table from SSB's Statbank as JSON-stat2 («json-stat2») and upload that file"
)


def _not_jsonstat(path: Path, error: JsonStatError) -> InputError:
    return refuse(
        path, gettext_noop("is not a JSON-stat 2.0 dataset: %(error)s"), HINT, params=(("error", str(error)),)
    )


def parse_file(path: Path, limits: Limits) -> Any:
    """The file's parsed JSON (nothing decoded yet)."""
    try:
        return loads(read_text(path, limits))
    except JsonStatError as exc:
        raise _not_jsonstat(path, exc) from None


def load_dataset(path: Path, limits: Limits, data: Any = None) -> Dataset:
    """Parse and decode a JSON-stat 2.0 file, refusing anything else with what is wrong."""
    try:
        return read_dataset(
            parse_file(path, limits) if data is None else data, labels=False, max_cells=limits.max_rows * 10
        )
    except JsonStatError as exc:
        raise _not_jsonstat(path, exc) from None


def read_jsonstat_file(
    path: Path,
    limits: Limits,
    *,
    mapping: Sequence[MappingEntry] | None = None,
    population: Population | None = None,
    population_source: str = "gitt ved import",
) -> pl.DataFrame:
    """The ImportTable for an SSB JSON-stat file; ``population`` (place → year → inhabitants)
    serves ``per_100k`` entries when the file does not hold population itself."""
    entries = tuple(default_mapping() if mapping is None else mapping)
    data = parse_file(path, limits)
    if not isinstance(data, dict):
        raise _not_jsonstat(path, JsonStatError("a JSON-stat dataset is a JSON object"))
    table_id = table_id_of(data)  # the cheap refusals first, before the cube is decoded
    mine = [e for e in entries if e.table == table_id]
    known = ", ".join(sorted({e.table for e in entries if e.series}))
    if not table_id:
        raise refuse(
            path, gettext_noop("the file does not say which SSB table it is (no extension.px.tableid)"), HINT
        )
    if not any(e.series for e in mine):
        raise refuse(
            path,
            gettext_noop(
                "SSB table %(table)s gives only population (a denominator) in the mapping to U4SSC series"
            )
            if mine
            else gettext_noop("SSB table %(table)s gives nothing in the mapping to U4SSC series"),
            gettext_noop("Tables mapped to series: %(tables)s"),
            params=(("table", table_id), ("tables", known)),
        )
    dataset = load_dataset(path, limits, data)
    frame, skipped = map_dataset(dataset, entries, population=population, population_source=population_source)
    if frame.height == 0:
        raise refuse(
            path,
            gettext_noop("no values could be taken from SSB table %(table)s: %(reason)s")
            if skipped
            else gettext_noop(
                "no values could be taken from SSB table %(table)s: "
                "no region and year had a number for the mapped contents"
            ),
            HINT,
            params=(("table", table_id), ("reason", "; ".join(skipped))),
        )
    return frame


def sniff_jsonstat(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"{")


def _read(path: Path, limits: Limits) -> pl.DataFrame:
    return read_jsonstat_file(path, limits)


register(
    Reader(
        name="jsonstat",
        description="SSB JSON-stat 2.0 file, mapped to U4SSC series by berekraft's SSB mapping",
        suffixes=(".json",),
        read=_read,
        sniff=sniff_jsonstat,
    )
)
