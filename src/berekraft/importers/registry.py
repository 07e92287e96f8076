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
from berekraft.core.problems import gettext_noop
from berekraft.importers.base import IMPORT_COLUMNS, REGISTRY, Limits, Reader
from berekraft.importers.common import check_size, refuse

# Suffixes refused outright, with the whole message (a template, so that it is translated).
REFUSED_SUFFIXES = {
    ".xlsm": gettext_noop(
        "cannot be imported: it is a macro-enabled workbook (.xlsm); macros are not accepted"
    ),
    ".xltm": gettext_noop(
        "cannot be imported: it is a macro-enabled template (.xltm); macros are not accepted"
    ),
    ".xlsb": gettext_noop("cannot be imported: it is a binary workbook (.xlsb)"),
    ".xls": gettext_noop("cannot be imported: it is an old Excel workbook (.xls)"),
    ".ods": gettext_noop("cannot be imported: it is an OpenDocument spreadsheet (.ods)"),
}
SAVE_AS = gettext_noop("Open it in Excel or LibreOffice and save it as «Excel-arbeidsbok (.xlsx)»")


def choose_reader(path: Path, reader_name: str | None = None) -> Reader:
    """The reader for ``path``: by name, or by suffix and sniffing; InputError when none fits."""
    if reader_name is not None:
        if reader_name not in REGISTRY:
            raise refuse(
                path,
                gettext_noop("there is no reader called %(reader)r"),
                gettext_noop("Choose one of %(readers)s"),
                params=(("reader", reader_name), ("readers", ", ".join(sorted(REGISTRY)))),
            )
        return REGISTRY[reader_name]
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise refuse(path, REFUSED_SUFFIXES[suffix], SAVE_AS)
    candidates = [r for r in REGISTRY.values() if suffix in r.suffixes]
    if not candidates:
        known = sorted({s for r in REGISTRY.values() for s in r.suffixes})
        raise refuse(
            path,
            gettext_noop("files ending in %(suffix)r cannot be imported")
            if suffix
            else gettext_noop("files ending in '(no suffix)' cannot be imported"),
            gettext_noop("Accepted: %(suffixes)s"),
            params=(("suffix", suffix), ("suffixes", ", ".join(known))),
        )
    for reader in candidates:
        if reader.sniff(path):
            return reader
    if len(candidates) == 1:
        return candidates[0]
    raise refuse(
        path,
        gettext_noop("the header row matches none of the accepted layouts"),
        gettext_noop("Accepted layouts: %(layouts)s"),
        params=(("layouts", "; ".join(f"{r.name}: {r.description}" for r in candidates)),),
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
        raise refuse(
            path,
            gettext_noop("the file holds %(count)s values, more than the %(limit)s accepted"),
            params=(("count", frame.height), ("limit", limits.max_rows)),
        )
    return reader, frame
