"""``berekraft serve`` keeps its background worker running: a worker that dies is started again
(with a growing pause when it keeps dying), and stopping the server stops it for good."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from berekraft.server import Supervised, background_worker, restart_pause


def _starts(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def _wait_for(condition, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_that_dies_is_started_again_and_not_after_the_stop(tmp_path: Path) -> None:
    log = tmp_path / "starts"
    dies = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x\\n'); raise SystemExit(3)"]
    worker = Supervised(dies, first_pause=0.05, longest_pause=0.2)
    try:
        assert _wait_for(lambda: _starts(log) >= 4), _starts(log)
        assert worker.restarts >= 3
    finally:
        worker.stop()
    stopped_at = _starts(log)
    time.sleep(1.0)
    assert _starts(log) == stopped_at  # no start after the stop


def test_the_pause_before_a_restart_doubles_while_the_worker_keeps_dying_and_resets_after_a_long_run() -> (
    None
):
    pauses, last = [], 0.0
    for _ in range(8):  # dies 2 s after each start
        last = restart_pause(last, 2.0, first=1.0, longest=60.0)
        pauses.append(last)
    assert pauses == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert restart_pause(60.0, 3600.0, first=1.0, longest=60.0) == 1.0  # had run an hour: a new fault


def test_stopping_ends_a_running_worker(tmp_path: Path) -> None:
    runs = [sys.executable, "-c", "import time; time.sleep(600)"]
    with background_worker(runs) as worker:
        process = worker.process
        assert process.poll() is None
    assert process.poll() is not None
    assert worker.restarts == 0
