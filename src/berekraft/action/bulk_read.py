"""Reading a project spreadsheet (.xlsx or CSV) with the hostile-file guards of the data import.

Kept apart from action.bulk, and free of Django models, because an upload is read in a child
process started with ``spawn`` (as importers.sandbox does): the child imports this module only.
"""

from __future__ import annotations

import multiprocessing
import resource
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from berekraft.core.problems import gettext_noop
from berekraft.errors import InputError
from berekraft.importers.base import Limits
from berekraft.importers.common import read_text, refuse
from berekraft.importers.tidy_csv import parse_rows
from berekraft.importers.xlsx import open_workbook, sheet_rows

SHEET = "projects"


def read_projects_file(path: Path, limits: Limits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, cells) of a project spreadsheet (.xlsx or .csv), with the guards of
    the data import; InputError when the file is refused."""
    if path.suffix.lower() == ".csv":
        return parse_rows(path, read_text(path, limits), limits)
    if path.suffix.lower() != ".xlsx":
        raise refuse(path, gettext_noop("is neither an .xlsx workbook nor a .csv file"))
    with open_workbook(path, limits) as book:
        sheet = SHEET if SHEET in book.sheetnames else book.sheetnames[0]
        rows = sheet_rows(path, book, sheet, limits)
    if not rows:
        return [], []
    (_n, header), *body = rows
    return [h.strip() for h in header], body


def _child(connection: Connection, path: str, limits: Limits) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
        connection.send(("ok", read_projects_file(Path(path), limits)))
    except InputError as exc:
        connection.send(("refused", exc.problems, exc.summary))
    except MemoryError:
        connection.send(("memory",))
    except BaseException:
        connection.send(("bug", traceback.format_exc()))
    finally:
        connection.close()


def read_projects_isolated(path: Path, limits: Limits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``read_projects_file`` in a child process (spawn, as importers.sandbox does): a hostile
    upload cannot hold the web worker past ``limits.timeout`` nor take more than ``max_memory``."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, str(path), limits), daemon=True)
    process.start()
    sender.close()
    result: Any
    try:
        result = receiver.recv() if receiver.poll(limits.timeout) else ("timeout",)
    except EOFError:
        result = ("memory",)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if result[0] == "ok":
        return result[1]  # type: ignore[no-any-return]
    if result[0] == "refused":
        raise InputError(result[1], summary=result[2])
    if result[0] == "timeout":
        raise refuse(
            path,
            gettext_noop("reading the file took longer than the %(limit)s seconds allowed; it was stopped"),
            params=(("limit", f"{limits.timeout:g}"),),
        )
    if result[0] == "memory":
        raise refuse(
            path,
            gettext_noop(
                "reading the file needs more than the %(limit)s MB of memory allowed; it was stopped"
            ),
            params=(("limit", f"{limits.max_memory / 2**20:.0f}"),),
        )
    raise RuntimeError(f"reading {path.name} failed in the child process:\n{result[1]}")
