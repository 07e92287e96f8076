"""Large downloads made once and kept as files in BEREKRAFT_HOME/downloads until what they are made
of changes: the download-all zip of a 357-member network is 40 MB written from 2.7 M rows (seconds
of work, and 220 MB of CSV), the same for every request until the next score run or change of the
published values. A rendered page goes to Django's cache (web/pagecache.py); a file this size is
better sent from disk (``FileResponse``: the server streams it, no worker holds it in memory).

A file's name holds the state it was made from and its variant (the language): a request after a
change makes a new file and removes those of older states. Requests that find no file make it
once: the others wait for the one making it (a lock file beside it) and then send what it made.
Without the page cache (PAGE_CACHE_SECONDS 0, as in the tests) every request makes its own, in a
temporary file, and answers with its bytes (a plain response, read whole, as before).

Under a threaded server (``berekraft serve``'s default) the threads of one process wait for each
other as processes do: each call opens the lock file anew, and ``flock`` locks belong to an open
file, not to a process. A file is written under a temporary name and renamed when whole, so a
reader that opens it without the lock (the first try) finds all of it or none. A request that
read the state before a score run (another process noted the run first, or its own view of the
latest run was up to 2 s old) may still make a file of the older state; it then leaves the newer
states' files alone, so it does not make the next reader wait for the newer file again (14-38 s
at 357 members).

Each kind has its own lock, so a reader of one file never waits while another kind is made (the
worker prepares them one after another after each score run: web/network_files.py). What the
worker should prepare besides the download-all zip is learned from the readers: a request that has
to make a file notes its kind, language and site address (``want``; the newest ``MOST_WANTED``
are kept in ``.wanted.json`` beside the files, which every process and the worker read).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings
from django.http import FileResponse, HttpResponse

from berekraft.web import runs
from berekraft.web.selectors.common import Member


def data_state(run: runs.State, members: Sequence[Member]) -> str:
    """What a download of the whole network's data is made of: the latest score run, the version of
    the published values and targets now (a value published since the run is in ``values.csv``
    at once), and the membership. (Names edited in the admin show with the next run.)"""
    ids = run[0] if run else (0, 0, 0, 0)
    membership = "|".join(f"{m.code},{m.joined},{m.left}" for m in members)
    return f"{ids[0]}-{ids[3]}-{hashlib.sha256(membership.encode()).hexdigest()[:12]}"


def variant(*parts: str) -> str:
    """A file's variant from what else its content depends on (the language, the site's address)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def _order(state: str) -> tuple[int, int] | None:
    """The (score run, data version) a state was made from, which only grow; None if unreadable."""
    run, _, rest = state.partition("-")
    version = rest.partition("-")[0]
    return (int(run), int(version)) if run.isdigit() and version.isdigit() else None


def _newer(name: str, prefix: str, state: str) -> bool:
    """Whether the kept file ``name`` (``<stem>-<state>--…``) is of a state later than ``state``."""
    theirs, mine = _order(name.removeprefix(prefix).partition("--")[0]), _order(state)
    return theirs is not None and mine is not None and theirs > mine


def folder() -> Path:
    path = Path(settings.HOME) / "downloads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def kept(kind: str, state: str, variant: str, make: Callable[[IO[bytes]], object]) -> IO[bytes]:
    """An open handle (for reading) on the file of ``kind`` (e.g. ``berekraft-data.zip``) for
    ``state`` and ``variant`` (letters, digits and dashes), made by ``make(out)`` if there is none
    yet."""
    if not settings.PAGE_CACHE_SECONDS:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        try:
            make(handle)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return handle
    stem, dot, suffix = kind.partition(".")
    where = folder()
    path = where / f"{stem}-{state}--{variant}{dot}{suffix}"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    with _locked(where / f".{kind}.lock"):
        if not path.exists():
            part = where / f".{path.name}.{os.getpid()}.part"
            try:
                with part.open("wb") as out:
                    make(out)
                os.replace(part, path)
            finally:
                part.unlink(missing_ok=True)
            for old in where.glob(f"{stem}-*--*{dot}{suffix}"):
                if _kind_of(old.name) != suffix:
                    continue  # another kind of the same stem (``….open-sdg.zip`` for ``….zip``): its lock
                if not old.name.startswith(f"{stem}-{state}--") and not _newer(old.name, f"{stem}-", state):
                    old.unlink(missing_ok=True)  # a request still sending it keeps its handle
        return path.open("rb")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing): one thread or process at a
    time, released when the handle closes (or the process dies)."""
    with path.open("a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _kind_of(name: str) -> str:
    """The suffix a kept file's name ends with after its variant (``zip``, ``open-sdg.zip``)."""
    return name.partition("--")[2].partition(".")[2]


# The most (kind, language, site) a reader had to wait for that the worker prepares after a run.
MOST_WANTED = 12
WANTED = ".wanted.json"


def want(kind: str, language: str, site: str) -> None:
    """Note that a reader asked for ``kind`` in ``language`` at ``site`` (the site's address, or
    "" for a file that does not hold it) and it was not there: the worker prepares it for the next
    states (web/network_files.py). Newest first; only the MOST_WANTED newest are kept. Called only
    when a file is made, so a request that finds its file writes nothing."""
    where = folder()
    with _locked(where / ".wanted.lock"):
        entry = [kind, language, site]
        entries = [entry] + [e for e in _read_wanted(where) if e != entry]
        part = where / f".{WANTED}.{os.getpid()}.part"
        part.write_text(json.dumps(entries[:MOST_WANTED]))
        os.replace(part, where / WANTED)


def wanted() -> list[tuple[str, str, str]]:
    """What readers asked for and had to wait for (``want``), newest first."""
    return [(e[0], e[1], e[2]) for e in _read_wanted(folder())]


def _read_wanted(where: Path) -> list[list[str]]:
    try:
        found = json.loads((where / WANTED).read_text())
    except (FileNotFoundError, ValueError):
        return []
    if not isinstance(found, list):
        return []
    return [e for e in found if isinstance(e, list) and len(e) == 3 and all(isinstance(x, str) for x in e)]


def response(
    kind: str,
    state: str,
    variant: str,
    make: Callable[[IO[bytes]], object],
    *,
    content_type: str,
    attachment: bool = True,
) -> HttpResponse | FileResponse:
    """The file of ``kind`` for ``state`` and ``variant`` (``kept``), as an attachment named
    ``kind`` (or, ``attachment=False``, as the page itself): sent from disk when kept, read whole
    when made for this request only."""
    handle = kept(kind, state, variant, make)
    sent: HttpResponse | FileResponse
    if settings.PAGE_CACHE_SECONDS:
        sent = FileResponse(handle, as_attachment=attachment, filename=kind, content_type=content_type)
    else:
        with handle:
            sent = HttpResponse(handle.read(), content_type=content_type)
        sent["Content-Disposition"] = f'attachment; filename="{kind}"'
    if not attachment:
        del sent["Content-Disposition"]
    return sent
