"""Pick the reader for a file and run it: the one entry point the import service and CLI call.

Choice: a reader named by the caller, else the readers that claim the file's suffix, in
registration order, the first whose sniff accepts the file's head. A refused file raises
``InputError`` (never another exception for a bad file), so callers show problems, not tracebacks.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import berekraft.importers.jsonstat_file
import berekraft.importers.opensdg_csv
import berekraft.importers.tidy_csv
import berekraft.importers.workbook  # noqa: F401  (importing a reader registers it)
from berekraft.importers.base import IMPORT_COLUMNS, REGISTRY, Limits, Reader
from berekraft.importers.common import check_size, refuse

REFUSED_SUFFIXES = {
    ".xlsm": "it is a macro-enabled workbook (.xlsm); macros are not accepted",
    ".xltm": "it is a macro-enabled template (.xltm); macros are not accepted",
    ".xlsb": "it is a binary workbook (.xlsb)",
    ".xls": "it is an old Excel workbook (.xls)",
    ".ods": "it is an OpenDocument spreadsheet (.ods)",
}
SAVE_AS = "Open it in Excel or LibreOffice and save it as «Excel-arbeidsbok (.xlsx)»"


def choose_reader(path: Path, reader_name: str | None = None) -> Reader:
    """The reader for ``path``: by name, or by suffix and sniffing; InputError when none fits."""
    if reader_name is not None:
        if reader_name not in REGISTRY:
            raise refuse(
                path,
                f"there is no reader called {reader_name!r}",
                f"Choose one of {', '.join(sorted(REGISTRY))}",
            )
        return REGISTRY[reader_name]
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise refuse(path, f"cannot be imported: {REFUSED_SUFFIXES[suffix]}", SAVE_AS)
    candidates = [r for r in REGISTRY.values() if suffix in r.suffixes]
    if not candidates:
        known = sorted({s for r in REGISTRY.values() for s in r.suffixes})
        raise refuse(
            path,
            f"files ending in {suffix or '(no suffix)'!r} cannot be imported",
            f"Accepted: {', '.join(known)}",
        )
    for reader in candidates:
        if reader.sniff(path):
            return reader
    if len(candidates) == 1:
        return candidates[0]
    raise refuse(
        path,
        "the header row matches none of the accepted layouts",
        "; ".join(f"{r.name}: {r.description}" for r in candidates),
        row=1,
    )


def read_file(path: Path, limits: Limits, reader_name: str | None = None) -> tuple[Reader, pl.DataFrame]:
    """Read ``path`` into an ImportTable with the fitting reader, or raise InputError."""
    path = Path(path)
    check_size(path, limits)
    reader = choose_reader(path, reader_name)
    frame = reader.read(path, limits)
    if tuple(frame.columns) != IMPORT_COLUMNS:  # a reader bug, not a user error
        raise AssertionError(f"reader {reader.name} returned columns {frame.columns}")
    if frame.height > limits.max_rows:
        raise refuse(path, f"the file holds {frame.height} values, more than the {limits.max_rows} accepted")
    return reader, frame
