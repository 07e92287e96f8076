"""The worker prepares the whole network's downloads after a score run (web/network_files.py,
web/tasks.py): at 357 members the first reader after each run waited 14-38 s for the download-all
zip. After a verify, its run and the prepare, the reader gets the kept file without its being made
(the make functions are broken to show it), and the bytes are those the view makes. A prepare for
a state that is no longer the latest does nothing; a failing prepare leaves the run and its
scores alone and the reader's request makes the file. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from io import StringIO
from pathlib import Path
from typing import IO, Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from berekraft.observations.services import data_version_bump
from berekraft.scores.models import ScoreRun
from berekraft.scores.selectors import scores_are_current
from berekraft.scores.tasks import score_run
from berekraft.web import downloads, network_files, pagecache
from berekraft.web.tasks import prepare_downloads
from tests.db.test_score_worker import publish, stored, work

pytestmark = pytest.mark.django_db
ZIP = "berekraft-data.zip"
URLS = {
    "berekraft-data.zip": "/download/berekraft-data.zip",
    "berekraft-data.json-stat.json": "/download/berekraft-data.json-stat.json",
    "berekraft-data.sdmx.csv": "/download/berekraft-data.sdmx.csv",
    "berekraft-data.open-sdg.zip": "/download/berekraft-data.open-sdg.zip",
    "catalog.ttl": "/catalog.ttl",
    "catalog.jsonld": "/catalog.jsonld",
}


@pytest.fixture
def kept(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Tasks go to the database and the worker runs in this process (as in test_score_worker);
    the page cache on, so files are kept, in tmp_path/home/downloads (returned)."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SCORE_RUN_DELAY_SECONDS = 0.0
    settings.PAGE_CACHE_SECONDS = 60
    settings.HOME = tmp_path / "home"
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    cache.clear()
    # Tasks another test's server left (tests/web/test_threaded_server.py runs `berekraft serve`,
    # whose worker asks for a prepare as it starts) are not this test's.
    DBTaskResult.objects.all().delete()
    yield tmp_path / "home" / "downloads"
    cache.clear()
    pagecache.pages.clear()


def get(client: Client, kind: str, **headers: str) -> bytes:
    response = client.get(URLS[kind], **headers)
    assert response.status_code == 200, response
    return response.getvalue()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("[!.]*"))


def broken(out: IO[bytes], inputs: network_files.Inputs) -> None:
    raise AssertionError("made on the request: the prepared file was not found")


def break_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind, spec in list(network_files.FILES.items()):
        monkeypatch.setitem(network_files.FILES, kind, replace(spec, write=broken))


def prepares() -> Any:
    return DBTaskResult.objects.filter(task_path=prepare_downloads.module_path)


def test_after_a_verify_its_run_and_the_prepare_the_reader_gets_the_kept_file(
    kept: Path, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    get(client, "catalog.ttl")  # a reader (a harvester) asked once: it is prepared from now on
    assert downloads.wanted() == [("catalog.ttl", "nb", "http://testserver/")]
    publish("42")
    work()  # the run, then the prepare it asked for
    assert stored() == 42.0 and scores_are_current()
    prepare = prepares().get()
    assert prepare.status == "SUCCESSFUL", prepare.traceback
    assert prepare.return_value["made"] == [
        f"{ZIP} nb",
        f"{ZIP} nn",
        f"{ZIP} en",
        "catalog.ttl nb http://testserver/",
    ]
    assert len(files(kept)) == 4  # and the older state's catalogue is gone

    with monkeypatch.context() as broke:
        break_every_file(broke)
        served = {lang: get(Client(HTTP_ACCEPT_LANGUAGE=lang), ZIP) for lang in ("nb", "nn", "en")}
        served["ttl"] = get(client, "catalog.ttl")
    # What the views make with no kept file (another home) is the same, byte for byte.
    settings.HOME = tmp_path / "other"
    made = {lang: get(Client(HTTP_ACCEPT_LANGUAGE=lang), ZIP) for lang in ("nb", "nn", "en")}
    made["ttl"] = get(client, "catalog.ttl")
    assert made == served
    assert len({served["nb"], served["nn"], served["en"]}) == 3  # each language its own


def test_every_prepared_file_is_the_one_the_view_makes_and_is_found_by_the_request(
    kept: Path, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind, for the language and site address a reader used (here English at localhost)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost")
    viewed = {kind: get(client, kind) for kind in URLS}  # made by the views, noted as wanted
    wanted = (tmp_path / "home" / "downloads" / downloads.WANTED).read_bytes()
    settings.HOME = tmp_path / "prepared"
    (tmp_path / "prepared" / "downloads").mkdir(parents=True)
    (tmp_path / "prepared" / "downloads" / downloads.WANTED).write_bytes(wanted)
    latest = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert latest is not None
    done = prepare_downloads.call(score_run=latest)
    assert {label for label in done["made"] if " en" in label} == {
        f"{ZIP} en",
        "berekraft-data.json-stat.json en",
        "berekraft-data.sdmx.csv en",
        "berekraft-data.open-sdg.zip en http://localhost/",
        "catalog.ttl en http://localhost/",
        "catalog.jsonld en http://localhost/",
    }
    with monkeypatch.context() as broke:
        break_every_file(broke)
        assert {kind: get(client, kind) for kind in URLS} == viewed
        # The JSON-stat and SDMX files do not hold the site's address: one file for every address.
        other = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1")
        assert get(other, "berekraft-data.sdmx.csv") == viewed["berekraft-data.sdmx.csv"]
        assert get(other, "berekraft-data.json-stat.json") == viewed["berekraft-data.json-stat.json"]
    # Asked again, nothing is made: the files are there.
    assert prepare_downloads.call(score_run=latest)["made"] == []


def test_a_prepare_for_a_superseded_state_does_nothing(kept: Path) -> None:
    publish("42")
    work()
    first = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert first is not None and len(files(kept)) == 3
    shutil.rmtree(kept)
    publish("43")  # a change after the run: its run waits, and the first run's state is old
    assert prepare_downloads.call(score_run=first) == {"made": [], "found": [], "superseded": True}
    assert not kept.exists() or files(kept) == []
    work()  # the new run and its own prepare
    assert stored() == 43.0 and len(files(kept)) == 3
    assert prepare_downloads.call(score_run=first)["superseded"]  # a later run
    statuses = sorted(prepares().values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "SUCCESSFUL"]


@pytest.mark.parametrize(
    ("watch_seconds", "made"),
    [
        (1e9, [f"{ZIP} nb"]),  # asked only between files: the first is made, the next not begun
        (0.0, []),  # asked while writing too: the file being made is dropped
    ],
)
def test_a_prepare_stops_once_its_state_is_superseded(
    kept: Path, monkeypatch: pytest.MonkeyPatch, watch_seconds: float, made: list[str]
) -> None:
    """A value verified while the worker makes the first file: the state is an old one (readers
    already ask for a newer file, and its run waits in the same worker)."""
    latest = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert latest is not None and scores_are_current()
    spec = network_files.FILES[ZIP]

    def changed_meanwhile(out: IO[bytes], inputs: network_files.Inputs) -> None:
        with transaction.atomic():
            data_version_bump()
        spec.write(out, inputs)

    monkeypatch.setitem(network_files.FILES, ZIP, replace(spec, write=changed_meanwhile))
    monkeypatch.setattr(network_files, "WATCH_SECONDS", watch_seconds)
    done = prepare_downloads.call(score_run=latest)
    assert done == {"made": made, "found": [], "superseded": True}
    assert len(files(kept)) == len(made)
    assert not list(kept.glob("*.part"))  # nothing half-made is left


def test_a_failing_prepare_leaves_the_run_and_its_scores_alone(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as broke:
        break_every_file(broke)
        publish("42")
        work()
    run = DBTaskResult.objects.get(task_path=score_run.module_path)
    assert run.status == "SUCCESSFUL" and run.return_value["ran"]
    assert stored() == 42.0 and scores_are_current()
    prepare = prepares().get()
    assert prepare.status == "FAILED" and "PrepareFailed" in prepare.exception_class_path
    assert f"{ZIP} nb" in prepare.traceback
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry of anything
    assert files(kept) == []  # nothing half-made
    # The reader's request makes the file, as before.
    body = get(Client(HTTP_ACCEPT_LANGUAGE="nb"), ZIP)
    assert body.startswith(b"PK") and len(files(kept)) == 1


def test_a_prepare_that_cannot_be_asked_for_does_not_fail_the_run(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from berekraft.web import tasks

    def unreachable(score_run: int, **options: Any) -> bool:
        raise RuntimeError("task table unreachable")

    monkeypatch.setattr(tasks, "prepare_downloads_request", unreachable)
    publish("42")
    work()
    run = DBTaskResult.objects.get(task_path=score_run.module_path)
    assert run.status == "SUCCESSFUL" and stored() == 42.0 and not prepares().exists()


def test_berekraft_recompute_asks_the_worker_for_the_downloads_too(kept: Path) -> None:
    call_command("recompute", stdout=StringIO())
    latest = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert prepares().get().args_kwargs["kwargs"] == {"score_run": latest}
    work()
    assert prepares().get().status == "SUCCESSFUL" and len(files(kept)) == 3


def test_nothing_is_prepared_when_nothing_is_kept(kept: Path, settings: Any) -> None:
    """With the page cache off (PAGE_CACHE_SECONDS 0) each request makes its own file."""
    settings.PAGE_CACHE_SECONDS = 0
    publish("42")
    work()
    assert stored() == 42.0 and not prepares().exists() and not kept.exists()


@pytest.mark.django_db(transaction=True)
def test_berekraft_worker_in_its_own_process_prepares_what_the_reader_then_gets(
    kept: Path, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The production path: a verify; ``berekraft worker`` (its own process, production settings,
    the same database and BEREKRAFT_HOME) runs the score run and then the prepare; the reader's
    request (in this process) sends the worker's file, the bytes this process's view makes (the
    JSON-LD catalogue too, which rdflib orders by the process's hash seed)."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        url = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
            f"{database['NAME']}"
        )
    else:
        url = f"sqlite:///{os.path.abspath(database['NAME'])}"
    reader = Client(HTTP_ACCEPT_LANGUAGE="en")
    get(reader, "catalog.jsonld")  # asked for once: prepared from now on
    publish("42")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "berekraft.settings",
        "BEREKRAFT_DATABASE_URL": url,
        "BEREKRAFT_HOME": str(tmp_path / "home"),
        "BEREKRAFT_SECRET_KEY": "test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "berekraft.cli", "worker", "--no-reload", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and worker.poll() is None:
            if prepares().filter(status__in=["SUCCESSFUL", "FAILED"]).exists():
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        _, err = worker.communicate(timeout=60)
    prepare = prepares().get()
    assert prepare.status == "SUCCESSFUL", err.decode()[-2000:]
    assert scores_are_current() and stored() == 42.0 and len(files(kept)) == 4
    with monkeypatch.context() as broke:
        break_every_file(broke)
        served = {kind: get(reader, kind) for kind in (ZIP, "catalog.jsonld")}
    settings.HOME = tmp_path / "other"
    assert {kind: get(reader, kind) for kind in (ZIP, "catalog.jsonld")} == served


@pytest.fixture
def stopping() -> Iterator[None]:
    yield
    network_files.STOPPING.clear()


@pytest.mark.parametrize(
    ("watch_seconds", "made"),
    [
        (1e9, [f"{ZIP} nb"]),  # asked only between files: the first is made, the next not begun
        (0.0, []),  # asked while writing too: the file being made is dropped
    ],
)
def test_a_prepare_stops_when_the_worker_is_asked_to_stop(
    kept: Path, monkeypatch: pytest.MonkeyPatch, stopping: None, watch_seconds: float, made: list[str]
) -> None:
    """SIGTERM while the worker makes a file (`berekraft serve` stopping, a deploy): the worker
    stops within a second instead of finishing a zip of 27 s at 357 members; the next worker's
    start prepares what is missing."""
    from django_tasks_db.management.commands import db_worker

    from berekraft.commands.management.commands.worker import _Worker

    latest = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert latest is not None and scores_are_current()
    worker = _Worker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.running_task = True  # in a task: the worker's own shutdown lets it finish
    spec = network_files.FILES[ZIP]

    def terminated_meanwhile(out: IO[bytes], inputs: network_files.Inputs) -> None:
        worker.shutdown(15, None)
        spec.write(out, inputs)

    monkeypatch.setitem(network_files.FILES, ZIP, replace(spec, write=terminated_meanwhile))
    monkeypatch.setattr(network_files, "WATCH_SECONDS", watch_seconds)
    assert isinstance(worker, db_worker.Worker)
    done = prepare_downloads.call(score_run=latest)
    assert done == {"made": made, "found": [], "stopped": True}
    assert not worker.running and len(files(kept)) == len(made)
    assert not list(kept.glob("*.part"))  # nothing half-made is left
