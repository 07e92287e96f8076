"""What a process makes once and keeps (a report in the cache, a kept download file) is made once
when its threads ask for it at the same moment (``berekraft serve`` runs threaded workers), and
every thread gets the whole of it. tests/web/test_threaded_server.py asks a real threaded server.

Each ``make`` here waits (up to a second) for the other threads to come into ``make`` too: where
nothing keeps them out, all of them make the thing, and the count shows it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import pytest
from django.core.cache import cache

from berekraft.reports import downloads as reports
from berekraft.web import downloads

T = TypeVar("T")
THREADS = 8


class Gate:
    """Counts the threads that come into ``make`` and holds each until all ``n`` have come, or a
    second has passed (only one comes where they are kept out)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.inside = 0
        self._changed = threading.Condition()

    def enter(self) -> None:
        with self._changed:
            self.inside += 1
            self._changed.notify_all()
            self._changed.wait_for(lambda: self.inside >= self.n, timeout=1.0)


def at_once(n: int, ask: Callable[[], T]) -> list[T]:
    """``ask()`` in ``n`` threads started together."""
    start = threading.Barrier(n)

    def one() -> T:
        start.wait()
        return ask()

    with ThreadPoolExecutor(n) as pool:
        return [f.result() for f in [pool.submit(one) for _ in range(n)]]


@pytest.fixture
def kept_files(settings: Any, tmp_path: Path) -> Path:
    settings.PAGE_CACHE_SECONDS = 60  # files are kept only with the page cache on
    settings.HOME = tmp_path
    return tmp_path / "downloads"


def test_threads_asking_for_a_report_at_once_get_one_report_made_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reports.runs, "latest", lambda: ((7, 0, 3, 3), datetime(2026, 1, 1)))
    cache.clear()
    gate = Gate(THREADS)
    made: list[datetime] = []

    def make(created: datetime) -> bytes:
        gate.enter()
        made.append(created)
        return f"%PDF report {len(made)} made {created.isoformat()}".encode()

    got = at_once(THREADS, lambda: reports._kept("snapshot", "5001", 2024, "nb", "pdf", make))
    assert gate.inside == 1 and len(made) == 1
    assert {r.content for r in got} == {got[0].content} and got[0].content.startswith(b"%PDF report 1 ")
    # and later callers read it from the cache
    assert reports._kept("snapshot", "5001", 2024, "nb", "pdf", make).content == got[0].content
    assert len(made) == 1


def test_a_report_made_meanwhile_by_another_process_is_the_one_handed_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two processes' caches are one (Redis): the report stored first wins, not the last."""
    monkeypatch.setattr(reports.runs, "latest", lambda: ((7, 0, 3, 3), datetime(2026, 1, 1)))
    cache.clear()
    key = reports.report_key("snapshot", "1506", 2024, "en")

    def make(created: datetime) -> bytes:
        cache.set(key, b"%PDF the other process's", 60)  # stored while this one made its own
        return b"%PDF this process's"

    assert reports._kept("snapshot", "1506", 2024, "en", "pdf", make).content == b"%PDF the other process's"


def test_threads_asking_for_a_kept_file_at_once_get_the_whole_file_made_once(kept_files: Path) -> None:
    gate = Gate(THREADS)
    chunk = bytes(range(256)) * 4096  # 1 MiB, written in pieces

    def make(out: IO[bytes]) -> None:
        gate.enter()
        for _ in range(8):
            out.write(chunk)
            out.flush()

    def ask() -> bytes:
        with downloads.kept("berekraft-data.zip", "7-3-abc", "v1", make) as handle:
            return handle.read()

    got = at_once(THREADS, ask)
    assert gate.inside == 1
    assert all(body == chunk * 8 for body in got)
    assert sorted(p.name for p in kept_files.iterdir()) == [
        ".berekraft-data.zip.lock",
        "berekraft-data-7-3-abc--v1.zip",
    ]


def test_a_file_made_for_an_older_state_leaves_the_newer_states_files(kept_files: Path) -> None:
    """A request that read the state before a score run (its process had not seen the run yet)
    makes the older state's file after the newer one was made: the newer one stays, for the
    readers to come; the older is removed by the next newer one."""

    def write(text: str) -> Callable[[IO[bytes]], None]:
        return lambda out: out.write(text.encode()) and None

    def make(state: str) -> None:
        downloads.kept("berekraft-data.zip", state, "v1", write(state)).close()

    make("8-4-abc")
    make("7-3-abc")  # late
    assert sorted(p.name for p in kept_files.glob("*.zip")) == [
        "berekraft-data-7-3-abc--v1.zip",
        "berekraft-data-8-4-abc--v1.zip",
    ]
    make("9-5-abc")
    make("9-5-def")  # the membership changed, the run did not: the other is removed all the same
    assert [p.name for p in kept_files.glob("*.zip")] == ["berekraft-data-9-5-def--v1.zip"]


def test_a_file_being_made_does_not_hold_up_a_reader_of_another_kind(kept_files: Path) -> None:
    """Each kind has its own lock: while the worker makes the zip (14-38 s at 357 members), a
    reader of the JSON-stat file makes or gets that one at once; and the zip's removal of older
    states' files leaves the other kinds' files (``….open-sdg.zip`` ends in ``.zip`` too)."""
    inside, release = threading.Event(), threading.Event()

    def slow(out: IO[bytes]) -> None:
        inside.set()
        assert release.wait(30)
        out.write(b"zip")

    def make(kind: str, state: str, write: Callable[[IO[bytes]], object]) -> bytes:
        with downloads.kept(kind, state, "v1", write) as handle:
            return handle.read()

    maker = threading.Thread(target=make, args=("berekraft-data.zip", "8-4-abc", slow))
    make("berekraft-data.open-sdg.zip", "7-3-abc", lambda out: out.write(b"old"))
    maker.start()
    try:
        assert inside.wait(30)
        made = make("berekraft-data.json-stat.json", "8-4-abc", lambda out: out.write(b"{}"))
        assert made == b"{}" and maker.is_alive()  # while the zip is still being made
    finally:
        release.set()
        maker.join(30)
    assert sorted(p.name for p in kept_files.glob("[!.]*")) == [
        "berekraft-data-7-3-abc--v1.open-sdg.zip",  # its own kind's next file removes it
        "berekraft-data-8-4-abc--v1.json-stat.json",
        "berekraft-data-8-4-abc--v1.zip",
    ]
