"""gunicorn, started from Python so that ``berekraft serve`` needs no separate config file, with
the background worker (``berekraft worker``) beside it as a child process that is started again if
it dies and ends with the server."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from gunicorn.app.base import BaseApplication

log = logging.getLogger(__name__)


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from berekraft.wsgi import application

        return application


WORKER_COMMAND = [sys.executable, "-m", "berekraft.cli", "worker", "--no-reload"]


def restart_pause(last: float, ran: float, *, first: float, longest: float) -> float:
    """The pause before starting a worker again that exited after running ``ran`` seconds, the
    pause before its last start having been ``last`` (``first`` before its first): doubled, up to
    ``longest``, while it keeps dying soon after its start; ``first`` again once it had run longer
    than ``longest``."""
    if ran > longest or last <= 0:
        return first
    return min(last * 2, longest)


class Supervised:
    """A child process kept running until ``stop()``: when it exits (a crash, the kernel's OOM
    killer), it is started again, after a pause that doubles with each exit that came soon after
    its start (``first_pause`` up to ``longest_pause``), so a worker that cannot start does not
    spin. Without this, a dead worker would leave the pages saying "scores are being updated"
    until someone restarted the server."""

    def __init__(self, command: list[str], *, first_pause: float = 1.0, longest_pause: float = 60.0) -> None:
        self.command = command
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.restarts = 0
        self.process = subprocess.Popen(command)
        self._started = time.monotonic()
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        pause = 0.0  # before the first start: none
        while not self._stopping.wait(0.2):
            code = self.process.poll()
            if code is None:
                continue
            ran = time.monotonic() - self._started
            pause = restart_pause(pause, ran, first=self.first_pause, longest=self.longest_pause)
            log.warning(
                "the background worker exited (%s) after %.0f s; starting it in %.1f s", code, ran, pause
            )
            if self._stopping.wait(pause):
                return
            self.process = subprocess.Popen(self.command)
            self._started = time.monotonic()
            self.restarts += 1

    def stop(self, timeout: float = 30.0) -> None:
        """No more restarts; the child is asked to stop (SIGTERM: a worker finishes the task it is
        running, whose scores are written in one transaction or not at all) and, after
        ``timeout`` seconds, killed."""
        self._stopping.set()
        self._watcher.join()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _warm_reports(worker: Any) -> None:
    """gunicorn's ``post_worker_init`` hook: each web worker (after the fork: vl-convert's engine
    runs threads that a fork would not carry over) starts its chart engine before it takes
    requests, so a reader's first report download does not wait for it (reports/charts.py). A
    failure is logged, not raised: the pages do not need the engine, and a report download would
    then show the same error to the one who asks for it."""
    from berekraft.reports.charts import warm

    try:
        warm()
    except Exception:
        worker.log.exception("the chart engine for reports did not start")


@contextlib.contextmanager
def background_worker(command: list[str] | None = None) -> Iterator[Supervised]:
    """``berekraft worker`` in a supervised child process (same environment, same database) until
    the block ends."""
    worker = Supervised(command or WORKER_COMMAND)
    try:
        yield worker
    finally:
        worker.stop()


# Threads per web worker, unless ``--threads`` says otherwise. Threaded by default: a sync worker
# waits for each client to read its answer and for each database read, with the CPU idle meanwhile,
# and serves a connection per request. bench/api.py, the API's uncached "one KPI, all members, all
# years" on one worker against Datasette: 4 threads 1.58×, the sync worker 1.13× (one run, load 4.6
# on 2 cores; an earlier one 1.53× and 0.51×); 8 threads 1.51× in the next run. Four, not more:
# Python runs one thread's bytecode at a time, so past the few requests that wait on the database or
# the network at once more threads add no throughput, only memory (a kept database connection each)
# and time waiting for the GIL. The app is safe under threads: tests/web/test_threaded_server.py
# sends bursts of concurrent downloads, pages, API reads and logins to a threaded server.
DEFAULT_THREADS = 4


def server_options(*, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> dict[str, Any]:
    """gunicorn's settings. With ``threads`` > 1 (the default) each worker is a threaded one
    (gthread): connections are kept alive, one slow client does not hold the worker (what a
    reverse proxy otherwise does for it), and one request's wait for the database is another's
    time on the CPU. One thread per worker is gunicorn's sync worker: a connection per request,
    and the worker waits for each client to read its answer."""
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "timeout": 60,
        "post_worker_init": _warm_reports,
    }
    if threads > 1:
        options |= {"worker_class": "gthread", "threads": threads}
    return options


def run_gunicorn(*, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> None:
    """Serve until stopped, with a background worker beside the web workers."""
    with background_worker():
        _Server(server_options(host=host, port=port, workers=workers, threads=threads)).run()
