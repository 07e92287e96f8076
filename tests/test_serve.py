"""`berekraft serve`: gunicorn's options from the command line (nothing is served here)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from berekraft import server


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The options each gunicorn would have started with; no background worker."""
    options: list[dict[str, Any]] = []

    class Recorded:
        def __init__(self, given: dict[str, Any]) -> None:
            options.append(given)

        def run(self) -> None:
            pass

    @contextlib.contextmanager
    def no_worker() -> Iterator[None]:
        yield

    monkeypatch.setattr(server, "_Server", Recorded)
    monkeypatch.setattr(server, "background_worker", no_worker)
    monkeypatch.setattr("berekraft.commands.management.commands.serve.call_command", lambda *a, **k: None)
    return options


def test_workers_are_threaded_by_default_and_one_thread_is_gunicorn_s_sync_worker(
    started: list[dict[str, Any]],
) -> None:
    call_command("serve")
    call_command("serve", "--workers", "1", "--threads", "1")
    call_command("serve", "--workers", "3", "--threads", "8")
    default, sync, more = started
    assert default["workers"] == 2 and default["worker_class"] == "gthread" and default["threads"] == 4
    assert sync["workers"] == 1 and "worker_class" not in sync and "threads" not in sync
    assert more["workers"] == 3 and more["worker_class"] == "gthread" and more["threads"] == 8


def test_gunicorn_s_options_are_threaded_unless_told_otherwise() -> None:
    """What ``berekraft demo`` serves with (it names no thread count)."""
    options = server.server_options(host="127.0.0.1", port=8000, workers=2)
    assert options["worker_class"] == "gthread" and options["threads"] == server.DEFAULT_THREADS == 4


def test_no_thread_at_all_is_refused_before_anything_starts(started: list[dict[str, Any]]) -> None:
    with pytest.raises(CommandError, match="--threads must be 1 or more"):
        call_command("serve", "--threads", "0")
    assert started == []
