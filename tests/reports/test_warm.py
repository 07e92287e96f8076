"""A web worker starts vl-convert's chart engine as it starts (gunicorn's post_worker_init), so a
reader's first report does not wait for it (bench/reports.py measures what that saves)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from berekraft.server import _Server, _warm_reports, server_options


def test_gunicorn_takes_the_warm_up_as_its_worker_hook() -> None:
    # gunicorn checks the hook as it reads the options (a callable of one argument: the worker).
    server = _Server(server_options(host="127.0.0.1", port=0, workers=1))
    assert server.cfg.post_worker_init is _warm_reports


def test_a_failing_warm_up_is_logged_and_the_worker_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from berekraft.reports import charts

    def broken() -> None:
        raise RuntimeError("no engine")

    monkeypatch.setattr(charts, "warm", broken)
    logged: list[str] = []
    worker = SimpleNamespace(log=SimpleNamespace(exception=logged.append))
    _warm_reports(worker)  # does not raise
    assert logged == ["the chart engine for reports did not start"]
