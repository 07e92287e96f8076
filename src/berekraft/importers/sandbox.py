"""Reading an uploaded file in a child process with its own deadline and memory limit.

The cheap checks in the readers (bytes, zip directory, shared strings and cells counted in the
stream) refuse most hostile files, but a parser can still be driven into long or large work by
something they do not foresee. A web worker must not be held by it, nor its memory: so the reader
runs in a child (started with ``spawn``), which sets
``RLIMIT_AS`` on itself and is killed when the deadline passes. The child sends back plain data:
the reader's name and the table's columns as lists, or the problems of a refused file.
"""

from __future__ import annotations

import multiprocessing
import resource
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import polars as pl

from berekraft.core.problems import gettext_noop
from berekraft.errors import InputError
from berekraft.importers.base import IMPORT_SCHEMA, REGISTRY, Limits, Reader
from berekraft.importers.common import refuse
from berekraft.importers.registry import read_file

HINT = gettext_noop("Split it into smaller files, e.g. one per year")


def _context() -> Any:
    """``spawn``: a fresh interpreter. Not fork, nor a forkserver with the readers preloaded: a
    process forked after polars has started its thread pool deadlocks in its first parallel
    operation (polars' own advice is spawn). The price is the child's start, about a second."""
    return multiprocessing.get_context("spawn")


def _child(connection: Connection, path: str, limits: Limits, reader_name: str | None) -> None:
    """Runs in the child: limit its memory, read, send plain data back."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
        reader, frame = read_file(Path(path), limits, reader_name)
        connection.send(("ok", reader.name, frame.to_dict(as_series=False)))
    except InputError as exc:
        connection.send(("refused", exc.problems, exc.summary))
    except MemoryError:
        connection.send(("memory",))
    except BaseException:  # a reader bug: the parent raises it as one
        connection.send(("bug", traceback.format_exc()))
    finally:
        connection.close()


def read_file_isolated(
    path: Path, limits: Limits, reader_name: str | None = None
) -> tuple[Reader, pl.DataFrame]:
    """``registry.read_file`` in a child process; InputError when the file is refused, takes longer
    than ``limits.timeout`` or needs more memory than ``limits.max_memory``."""
    path = Path(path)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, str(path), limits, reader_name), daemon=True)
    process.start()
    sender.close()
    result: Any  # a tuple whose first item says what came back
    try:
        result = receiver.recv() if receiver.poll(limits.timeout) else ("timeout",)
    except EOFError:  # the child died without a word: killed by the memory limit
        result = ("memory",)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    kind = result[0]
    if kind == "ok":
        return REGISTRY[result[1]], pl.DataFrame(result[2], schema=IMPORT_SCHEMA)
    if kind == "refused":
        raise InputError(result[1], summary=result[2])
    if kind == "timeout":
        raise refuse(
            path,
            gettext_noop("reading the file took longer than the %(limit)s seconds allowed; it was stopped"),
            HINT,
            params=(("limit", f"{limits.timeout:g}"),),
        )
    if kind == "memory":
        raise refuse(
            path,
            gettext_noop(
                "reading the file needs more than the %(limit)s MB of memory allowed; it was stopped"
            ),
            HINT,
            params=(("limit", f"{limits.max_memory / 2**20:.0f}"),),
        )
    raise RuntimeError(f"reading {path.name} failed in the child process:\n{result[1]}")
