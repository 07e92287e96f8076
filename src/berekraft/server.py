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


def server_options(*, host: str, port: int, workers: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "timeout": 60,
        "post_worker_init": _warm_reports,
    }


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    """Serve until stopped, with a background worker beside the web workers."""
    with background_worker():
        _Server(server_options(host=host, port=port, workers=workers)).run()
