"""Score runs out of the request (issue 9, item 2): the real database task backend and worker.

A verify commits and returns without a score run; the run waits in the task table, the pages say
the scores are being updated, and the worker's run makes them show the new value. Ten verifies
make one run; a run that would change nothing does not start; two runs never interleave; a run
that fails is retried, and until one succeeds the stored scores are the previous run's, whole,
and marked stale (never a silent mixture). On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from berekraft.observations.imports import import_table
from berekraft.observations.models import Observation
from berekraft.observations.workflow import observations_submit, observations_verify
from berekraft.scores import services
from berekraft.scores.models import AggregateScore, ScoreRun, SeriesScore
from berekraft.scores.selectors import scores_are_current
from berekraft.scores.tasks import score_run
from tests.tables import table

SERIES, SLUG = "EC: I: WS: 1C", "ec-i-ws-1c"
NOTICE = "The scores are being updated"


@pytest.fixture
def worker_backend(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks go to the database (as in production), due at once. The worker runs in the test's
    own connection and transaction (``work``), so it must not close it between tasks, as it
    does in its own process (the last test here runs it so)."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SCORE_RUN_DELAY_SECONDS = 0.0
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def publish(value: str, place: str = "5001", series: str = SERIES, year: int = 2024) -> Observation:
    """Import a draft, submit it, verify it (the verifier's request)."""
    row = table({"place": place, "indicator": series, "year": str(year), "value": value})
    import_table(row, file_name="data.csv", checksum=value, reader="test", user=None)
    obs = Observation.objects.get(place__code=place, series__code=series, year=year)
    observations_submit(place=obs.place, year=year, user=None)
    assert observations_verify(ids=[obs.pk], user=None) == 1
    return obs


def stored(place: str = "5001", series: str = SERIES, year: int = 2024) -> float:
    return SeriesScore.objects.get(place__code=place, series__code=series, year=year).value


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY", task_path=score_run.module_path))


def work() -> None:
    """The worker, in this process, until nothing is due."""
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def compare_value(client: Client) -> Any:
    data = json.loads(client.get(f"/compare.json?series={SLUG}").content)
    return next(r for r in data["rows"] if r["code"] == "5001")["2024"]


@pytest.mark.django_db
def test_a_verify_returns_without_a_score_run_and_the_worker_s_run_shows_it(worker_backend: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    runs, before = ScoreRun.objects.count(), stored()
    publish("42")
    # The request has returned: the value is published, no run has happened, one waits.
    assert ScoreRun.objects.count() == runs and stored() == before != 42.0
    assert not scores_are_current() and len(waiting()) == 1
    assert compare_value(client) == before
    assert NOTICE in client.get("/members/5001/").content.decode()
    work()
    assert ScoreRun.objects.count() == runs + 1 and scores_are_current() and not waiting()
    assert stored() == 42.0 and compare_value(client) == 42.0
    assert NOTICE not in client.get("/members/5001/").content.decode()


@pytest.mark.django_db
def test_the_pending_notice_in_bokmal_and_nynorsk_and_through_the_page_cache(
    worker_backend: None, settings: Any
) -> None:
    from berekraft.web import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.pages.clear()
    try:
        nb, nn = Client(HTTP_ACCEPT_LANGUAGE="nb"), Client(HTTP_ACCEPT_LANGUAGE="nn")
        first = nb.get("/goals/")
        assert "Resultatene oppdateres" not in first.content.decode()
        publish("42")
        # A page kept from before the change is not served: the data version is part of the key
        # and of the ETag.
        assert nb.get("/goals/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
        assert "Resultatene oppdateres" in nb.get("/goals/").content.decode()
        assert "Resultata vert oppdaterte" in nn.get("/goals/").content.decode()
        work()
        assert "Resultatene oppdateres" not in nb.get("/goals/").content.decode()
    finally:
        pagecache.pages.clear()


@pytest.mark.django_db
def test_ten_verifies_make_one_run_and_a_run_with_nothing_to_do_does_not_start(
    worker_backend: None,
) -> None:
    runs = ScoreRun.objects.count()
    years = range(2015, 2025)
    for year in years:
        publish(str(year - 1960), year=year)
    assert len(waiting()) == 1  # ten changes, one run waiting
    work()
    assert ScoreRun.objects.count() == runs + 1 and scores_are_current()
    assert [stored(year=year) for year in years] == [float(year - 1960) for year in years]
    # Asked again with nothing changed: nothing is enqueued, and a run that is due anyway does
    # not start.
    publish_nothing = import_table(
        table({"place": "5001", "indicator": SERIES, "year": "2024", "value": "64"}),
        file_name="empty.csv",
        checksum="",
        reader="test",
        user=None,
    )
    assert publish_nothing.changed == 0 and not waiting()
    assert score_run.call() == {"ran": False}
    assert ScoreRun.objects.count() == runs + 1


@pytest.mark.django_db
def test_a_failing_run_is_retried_and_the_scores_never_silently_disagree(
    worker_backend: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    before, runs = stored(), ScoreRun.objects.count()
    series_rows, aggregate_rows = SeriesScore.objects.count(), AggregateScore.objects.count()
    real_replace = services.replace_frame

    def dies_halfway(model: Any, frame: Any, **options: Any) -> Any:
        """The run dies after writing the series scores, before the aggregates."""
        if model is AggregateScore:
            raise RuntimeError("killed mid-write")
        return real_replace(model, frame, **options)

    monkeypatch.setattr(services, "replace_frame", dies_halfway)
    publish("42")
    work()
    failed = DBTaskResult.objects.get(task_path=score_run.module_path, status="FAILED")
    assert "killed mid-write" in failed.traceback
    # Nothing of the dead run was kept: the previous scores, whole, and the previous run …
    assert (stored(), SeriesScore.objects.count(), AggregateScore.objects.count()) == (
        before,
        series_rows,
        aggregate_rows,
    )
    assert ScoreRun.objects.count() == runs
    # … marked stale, and said so on the pages, with a retry waiting.
    assert not scores_are_current()
    assert NOTICE in client.get("/members/5001/").content.decode()
    retry = DBTaskResult.objects.get(task_path=score_run.module_path, status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 1} and retry.run_after > timezone.now()
    monkeypatch.setattr(services, "replace_frame", real_replace)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    work()
    assert stored() == 42.0 and scores_are_current() and ScoreRun.objects.count() == runs + 1
    assert NOTICE not in client.get("/members/5001/").content.decode()


@pytest.mark.django_db
def test_a_run_that_keeps_failing_stops_retrying_and_stays_visibly_stale(
    worker_backend: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed() -> None:
        raise RuntimeError("killed")

    real_compute = services.compute
    monkeypatch.setattr(services, "compute", killed)
    publish("42")
    for _ in range(4):  # the run and its three retries, each due at once
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - timedelta(seconds=1))
        work()
    attempts = DBTaskResult.objects.filter(task_path=score_run.module_path)
    assert attempts.filter(status="FAILED").count() == 4 and not attempts.filter(status="READY").exists()
    assert not scores_are_current()
    # The next worker start asks again.
    monkeypatch.setattr(services, "compute", real_compute)
    work()
    assert scores_are_current() and stored() == 42.0


@pytest.mark.django_db(transaction=True)
def test_two_runs_never_interleave(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs at once (say the worker and ``berekraft recompute``), each in its own connection:
    the second waits for the first (scores.runlock), on SQLite and on PostgreSQL."""
    real_compute = services.compute
    spans: list[tuple[str, float, float]] = []
    failures: list[str] = []

    def slow_compute() -> Any:
        start = time.monotonic()
        result = real_compute()
        time.sleep(0.5)
        spans.append((threading.current_thread().name, start, time.monotonic()))
        return result

    monkeypatch.setattr(services, "compute", slow_compute)

    def run() -> None:
        try:
            services.scores_recompute()
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, name=f"run-{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures and len(spans) == 2
    (_, _, end_a), (_, start_b, _) = sorted(spans, key=lambda s: s[1])
    assert end_a <= start_b, spans
    latest = ScoreRun.objects.order_by("-pk")[:2]
    assert len(latest) == 2 and all(run.series_scores == SeriesScore.objects.count() for run in latest)


@pytest.mark.django_db(transaction=True)
def test_berekraft_worker_in_its_own_process_runs_what_a_verify_asked_for(
    worker_backend: None, tmp_path: Any
) -> None:
    """The production path end to end: the verify's request returns; ``berekraft worker`` (a
    separate process, production settings, the same database) runs the score run; the page
    shows the new value."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        url = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
            f"{database['NAME']}"
        )
    else:
        url = f"sqlite:///{os.path.abspath(database['NAME'])}"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    started = time.monotonic()
    publish("42")
    request_seconds = time.monotonic() - started
    assert stored() != 42.0 and len(waiting()) == 1
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "berekraft.settings",
        "BEREKRAFT_DATABASE_URL": url,
        "BEREKRAFT_HOME": str(tmp_path),
        "BEREKRAFT_SECRET_KEY": "test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "berekraft.cli", "worker", "--no-reload", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not scores_are_current() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
    finally:
        worker.terminate()
        _, err = worker.communicate(timeout=30)
    assert scores_are_current(), err.decode()[-2000:]
    assert stored() == 42.0 and compare_value(client) == 42.0
    shown = time.monotonic() - started
    print(f"verify request {request_seconds * 1000:.0f} ms; scores shown after {shown:.1f} s")
