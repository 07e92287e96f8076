"""gunicorn, started from Python so that ``berekraft serve`` needs no separate config file, with
the background worker (``berekraft worker``) beside it as a child process that ends with it."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from gunicorn.app.base import BaseApplication


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


@contextlib.contextmanager
def background_worker() -> Iterator[subprocess.Popen[bytes]]:
    """``berekraft worker`` in a child process (same environment, same database) until the block
    ends; then it is asked to stop (SIGTERM: it finishes the task it is running, if any, whose
    scores are written in one transaction or not at all) and, after 30 s, killed."""
    worker = subprocess.Popen([sys.executable, "-m", "berekraft.cli", "worker", "--no-reload"])
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def run_gunicorn(*, host: str, port: int, workers: int, threads: int = 1) -> None:
    """Serve until stopped, with a background worker beside the web workers.

    One thread per worker is gunicorn's sync worker: a connection per request, and the worker waits
    for each client to read its answer. With ``threads`` > 1 each worker is a threaded one (gthread):
    connections are kept alive and one slow client does not hold the worker (what a reverse proxy
    otherwise does for it)."""
    options: dict[str, Any] = {"bind": f"{host}:{port}", "workers": workers, "accesslog": "-", "timeout": 60}
    if threads > 1:
        options |= {"worker_class": "gthread", "threads": threads}
    with background_worker():
        _Server(options).run()
