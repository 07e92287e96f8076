"""Opening an uploaded .xlsx safely, before and while openpyxl reads it.

An .xlsx is a zip of XML parts. Before openpyxl sees it we read only the zip's central directory:
is it a zip at all (an old .xls or an encrypted workbook is an OLE2 file; a renamed CSV is text),
is it a spreadsheet (not an .ods or .docx), does it carry macros (``vbaProject.bin``, a
macro-enabled content type), and would it expand beyond what we accept (a zip bomb: the sizes in
the directory bound what zipfile will ever decompress). Bytes do not bound the work, though: 9 MB
can hold 10 million shared strings, which openpyxl would build in a minute and a gigabyte. So the
shared strings and the cells (and row elements) are counted in the compressed stream, chunk by
chunk, before openpyxl builds anything. While reading, a cell that holds a formula
is refused with its address: a workbook must hold values, since we cannot recompute formulas and
a cached result may be stale or absent.
"""

from __future__ import annotations

import errno
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from berekraft.core.problems import Problem, gettext_noop
from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.common import cell_text, check_size, refuse

EXPANSION = 10  # an .xlsx may expand to at most this many times the accepted file size
MAX_RATIO = 500  # … and no part may compress better than this (real sheets stay far below)
MAX_PARTS = 10_000
CHUNK = 1 << 20
# An element start with any (or no) namespace prefix: <si …>, <x:si>, <c r="A1">, <row/> …
SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?si[\s/>]")
CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?(?:c|row)[\s/>]")
LONGEST_MATCH = 32  # longer than any match of the two patterns
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = gettext_noop("Open it in Excel or LibreOffice and save it as «Excel-arbeidsbok (.xlsx)»")
# What zipfile raises on a damaged archive (NotImplementedError: an unknown compression method).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


def check_xlsx(path: Path, limits: Limits) -> None:
    """Refuse anything that is not a plain, macro-free, reasonably sized .xlsx, from the zip directory."""
    check_size(path, limits)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2:
        raise refuse(
            path, gettext_noop("is an old .xls workbook or a password-protected one, not an .xlsx"), SAVE_AS
        )
    if not zipfile.is_zipfile(path):
        raise refuse(
            path,
            gettext_noop("is not an .xlsx workbook (an .xlsx file is a zip archive; this is not)"),
            SAVE_AS,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {p.filename for p in parts}
            content_types = _read_small(archive, "[Content_Types].xml", 1_000_000)
            mimetype = _read_small(archive, "mimetype", 1000)
    except (*ZIP_ERRORS, RuntimeError):
        raise refuse(path, gettext_noop("is a damaged zip archive, not a readable .xlsx"), SAVE_AS) from None
    if len(parts) > MAX_PARTS:
        raise refuse(
            path,
            gettext_noop("the archive holds %(count)s parts; an .xlsx holds a few dozen"),
            SAVE_AS,
            params=(("count", len(parts)),),
        )
    total = sum(p.file_size for p in parts)
    if total > limits.max_bytes * EXPANSION or any(
        p.file_size > 1_000_000 and p.file_size > MAX_RATIO * max(p.compress_size, 1) for p in parts
    ):
        raise refuse(
            path,
            gettext_noop(
                "the workbook would expand to %(size)s MB; at most %(limit)s MB is accepted "
                "(this may be a zip bomb)"
            ),
            gettext_noop("Split the data into smaller workbooks"),
            params=(("size", f"{total / 1e6:.0f}"), ("limit", f"{limits.max_bytes * EXPANSION / 1e6:.0f}")),
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise refuse(
            path,
            gettext_noop("the workbook contains macros (VBA); macros are not accepted"),
            gettext_noop("Save it as «Excel-arbeidsbok (.xlsx)», which removes the macros"),
        )
    if b"opendocument" in mimetype:
        raise refuse(path, gettext_noop("is an OpenDocument spreadsheet (.ods), not an .xlsx"), SAVE_AS)
    if "xl/workbook.xml" not in names:
        raise refuse(
            path, gettext_noop("is a zip archive but not an Excel workbook (no xl/workbook.xml)"), SAVE_AS
        )
    _check_work(path, parts, limits)


def _check_work(path: Path, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a workbook with more shared strings or cells than accepted, counted in the stream."""
    strings = [p for p in parts if p.filename.lower().startswith("xl/sharedstrings")]
    sheets = [
        p for p in parts if p.filename.lower().startswith("xl/worksheets/") and p.filename.endswith(".xml")
    ]
    try:
        with zipfile.ZipFile(path) as archive:
            count = sum(_count(archive, p, SHARED_STRING, limits.max_strings) for p in strings)
            if count > limits.max_strings:
                raise refuse(
                    path,
                    gettext_noop(
                        "the workbook holds more than %(limit)s shared strings (texts); "
                        "at most %(limit)s are accepted"
                    ),
                    gettext_noop("Split the data into smaller workbooks"),
                    params=(("limit", limits.max_strings),),
                )
            count = 0
            for part in sheets:
                count += _count(archive, part, CELL_OR_ROW, limits.max_cells - count)
                if count > limits.max_cells:
                    raise refuse(
                        path,
                        gettext_noop(
                            "the workbook holds more than %(limit)s cells and rows (%(part)s); "
                            "at most %(limit)s are accepted"
                        ),
                        gettext_noop("Split the data into smaller workbooks"),
                        params=(("limit", limits.max_cells), ("part", part.filename)),
                    )
    except InputError:
        raise
    except (*ZIP_ERRORS, RuntimeError):
        raise refuse(path, gettext_noop("is a damaged zip archive, not a readable .xlsx"), SAVE_AS) from None


def _count(archive: zipfile.ZipFile, part: zipfile.ZipInfo, pattern: re.Pattern[bytes], limit: int) -> int:
    """How many times ``pattern`` occurs in a part, read in chunks; stops early past ``limit``
    (the count returned is then only known to exceed it). Memory stays at one chunk."""
    count = 0
    tail = b""
    with archive.open(part) as stream:
        while count <= limit:
            chunk = stream.read(CHUNK)
            if not chunk:
                return count + len(pattern.findall(tail))
            buffer = tail + chunk
            # Matches cannot overlap (each holds one «<»), so those starting in the last bytes are
            # exactly the ones found in the tail: they are counted with the next chunk.
            tail = buffer[max(len(buffer) - LONGEST_MATCH, 0) :]
            count += len(pattern.findall(buffer)) - len(pattern.findall(tail))
    return count


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small part's bytes ("" when absent or larger than ``limit``: never a big read)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    return archive.read(info) if info.file_size <= limit else b""


@contextmanager
def open_workbook(path: Path, limits: Limits) -> Iterator[Workbook]:
    """Check the archive, then open it read-only with formulas kept (so that they can be refused).
    openpyxl raises many kinds of exceptions on malformed XML; at this boundary all of them mean
    «not a readable workbook», which is what the user is told. We own the file handle, so it is
    closed even when openpyxl fails half-way through opening."""
    check_xlsx(path, limits)
    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        except MemoryError:
            raise  # the reading process's memory limit: reported as such by the sandbox
        except OSError as exc:
            if exc.errno == errno.ENOMEM:  # zlib/mmap past the memory limit say it this way
                raise MemoryError from None
            raise refuse(
                path,
                gettext_noop("cannot be read as an .xlsx workbook (%(error)s)"),
                SAVE_AS,
                params=(("error", type(exc).__name__),),
            ) from None
        except Exception as exc:  # third-party parser at the file boundary
            raise refuse(
                path,
                gettext_noop("cannot be read as an .xlsx workbook (%(error)s)"),
                SAVE_AS,
                params=(("error", type(exc).__name__),),
            ) from None
        try:
            yield book
        finally:
            book.close()


def sheet_rows(path: Path, workbook: Workbook, sheet: str, limits: Limits) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) for every non-blank row of a sheet, refusing formulas (every formula
    cell is listed with its address), and more rows or columns than accepted."""
    rows: list[tuple[int, list[str]]] = []
    formulas: list[Problem] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            worksheet: Any = workbook[sheet]
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()  # trust the cells, not a (possibly absurd) stated size
            for number, cells in enumerate(_iter_rows(worksheet), start=1):
                texts = _texts(path, sheet, number, cells, formulas)
                while texts and not texts[-1]:
                    texts.pop()
                if not texts:
                    continue
                if len(texts) > limits.max_columns:
                    raise refuse(
                        path,
                        gettext_noop(
                            "sheet %(sheet)r uses %(count)s columns, more than the %(limit)s accepted"
                        ),
                        gettext_noop("Keep only the data columns"),
                        params=(("sheet", sheet), ("count", len(texts)), ("limit", limits.max_columns)),
                        row=number,
                    )
                if len(rows) > limits.max_rows:
                    raise refuse(
                        path,
                        gettext_noop("sheet %(sheet)r has more than %(limit)s rows"),
                        params=(("sheet", sheet), ("limit", limits.max_rows)),
                        row=number,
                    )
                rows.append((number, texts))
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # openpyxl parses lazily, so errors surface here too
        raise refuse(
            path,
            gettext_noop("sheet %(sheet)r cannot be read (%(error)s)"),
            SAVE_AS,
            params=(("sheet", sheet), ("error", type(exc).__name__)),
        ) from None
    if formulas:
        more = len(formulas) - 50
        if more > 0:
            formulas = [
                *formulas[:50],
                Problem(
                    gettext_noop("… and %(count)s more formula cells"),
                    file=path.name,
                    params=(("count", more),),
                ),
            ]
        raise InputError(formulas, summary=f"{path.name} holds formulas")
    return rows


def _iter_rows(worksheet: Any) -> Iterator[tuple[Any, ...]]:
    yield from worksheet.iter_rows()


def _texts(path: Path, sheet: str, number: int, cells: tuple[Any, ...], formulas: list[Problem]) -> list[str]:
    texts = []
    for index, cell in enumerate(cells, start=1):
        value = getattr(cell, "value", None)
        if getattr(cell, "data_type", "") == "f" or (
            type(value).__name__ in ("ArrayFormula", "DataTableFormula")
        ):
            address = f"{get_column_letter(index)}{number}"
            formulas.append(
                Problem(
                    gettext_noop("cell %(sheet)s!%(cell)s holds a formula; the workbook must hold values"),
                    file=path.name,
                    row=number,
                    column=get_column_letter(index),
                    value=str(getattr(value, "text", value))[:80],
                    hint=gettext_noop(
                        "Copy the cells and paste them back as values («Lim inn utvalg» → «Verdier»)"
                    ),
                    params=(("sheet", sheet), ("cell", address)),
                )
            )
            texts.append("")
            continue
        texts.append(cell_text(value))
    return texts
