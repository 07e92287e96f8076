"""A real threaded server under concurrent requests: what a race between its threads would break.

``berekraft serve`` runs threaded workers (gunicorn's gthread, server.DEFAULT_THREADS). Here one
worker with 8 threads, so every request of a burst is in one process at once, serves the test
database (SQLite file or PostgreSQL) with the production settings: the page cache on, reports kept
in Django's cache, downloads kept as files. Bursts of up to 16 requests, started together, ask
for what a race would spoil, and every answer must be whole and right:

- reports (two members' snapshots, the network report, and the API's copy of a snapshot) made
  for the first time: each a PDF that poppler reads, of the member and in the language asked, and
  every answer to one report the same bytes;
- the download-all zip and the network's open data, made for the first time (a kept file made
  once, behind a lock file): each zip opens, each JSON-stat, SDMX-CSV and catalogue parses;
- public pages in bokmål, nynorsk and English at once: each page in its own language (Django's
  active language is per thread; a leak would show another language's words);
- API reads, each rendered anew: the same JSON as the same read asked alone;
- failed logins of one user at once: django-axes counts each, and the user is locked out.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection

# The tests speak to the server only, which reads the test database (set up for the tests marked
# django_db) with data committed before any test. Transactional, so no transaction of the test
# holds SQLite's write lock while the server writes (a login failure, a session); with no app
# available to the test, so that the flush after each test removes nothing.
pytestmark = pytest.mark.django_db(transaction=True, available_apps=[])

THREADS = 8
PASSWORD = "a long Passphrase 42"
LANGUAGES = ("nb", "nn", "en")
# Every page's skip link and the navigation's "Compare" in each language: a page must show its own
# and no other language's skip link.
SKIP = {"nb": "Hopp til innholdet", "nn": "Hopp til innhaldet", "en": "Skip to content"}
COMPARE = {"nb": ">Sammenlign</a>", "nn": ">Samanlikn</a>", "en": ">Compare</a>"}


@dataclass(frozen=True)
class Server:
    base: str
    home: Path
    members: list[str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _accounts(create: bool) -> None:
    """Two users whose password the server checks cheaply (PBKDF2 of 1,000 rounds: the tests'
    MD5 hasher is not one the server knows), or, afterwards, none and their login failures."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    names = ["threaded-kari", "threaded-ola"]
    AccessAttempt.objects.filter(username__in=names).delete()
    AccessFailureLog.objects.filter(username__in=names).delete()
    User.objects.filter(username__in=names).delete()
    Session.objects.all().delete()  # the successful login's (no test leaves a session committed)
    if create:
        hashed = PBKDF2PasswordHasher().encode(PASSWORD, "threadedsalt", iterations=1000)
        for name in names:
            User.objects.create(username=name, password=hashed)


@pytest.fixture(scope="module")
def server(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``berekraft serve --workers 1 --threads 8`` on the test database, until the module ends."""
    from berekraft.web.selectors import common

    with django_db_blocker.unblock():
        url = _database_url()
        members = [m.code for m in common.members(network=common.network())]
        _accounts(create=True)
    home = tmp_path_factory.mktemp("threaded-server")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BEREKRAFT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env |= {
        "BEREKRAFT_DATABASE_URL": url,
        "BEREKRAFT_HOME": str(home),
        "BEREKRAFT_API_ANON_REQUESTS": "100000",
    }
    port = _free_port()
    log_path = home / "server.log"
    berekraft = Path(sys.executable).parent / "berekraft"
    command = [berekraft, "serve", "--port", str(port), "--workers", "1", "--threads", str(THREADS)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/goals", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"the server did not start: {log_path.read_text()[-3000:]}")
        if process.poll() is not None:
            pytest.fail(f"the server stopped: {log_path.read_text()[-3000:]}")
        yield Server(base, home, members)
    finally:
        process.terminate()
        process.wait(30)
        with django_db_blocker.unblock():
            _accounts(create=False)
    errors = re.findall(r'"[A-Z]+ [^"]*" 5\d\d ', log_path.read_text())  # gunicorn's access log
    assert not errors, f"the server answered with server errors: {errors}"


@dataclass(frozen=True)
class Ask:
    path: str
    language: str = "nb"


def at_once(server: Server, asks: list[Ask]) -> list[httpx.Response]:
    """Every request in its own thread and connection, sent together."""
    start = threading.Barrier(len(asks))

    def one(ask: Ask) -> httpx.Response:
        with httpx.Client(
            base_url=server.base, timeout=180, headers={"Accept-Language": ask.language}
        ) as client:
            start.wait()
            return client.get(ask.path)

    with ThreadPoolExecutor(len(asks)) as pool:
        return list(pool.map(one, asks))


def pdf_text(content: bytes, folder: Path, name: str) -> str:
    """The PDF's text, read by poppler (which fails on a cut or corrupt file)."""
    path = folder / name
    path.write_bytes(content)
    subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_reports_asked_at_once_are_whole_pdfs_of_what_was_asked(server: Server, tmp_path: Path) -> None:
    trondheim = "/members/5001/report.pdf?year=2024"
    molde = "/members/1506/report.pdf?year=2024"
    network = "/report.pdf?year=2024"
    api = "/api/v1/reports/snapshot?member=5001&year=2024&lang=nb"
    asks = [
        *[Ask(trondheim, "nb")] * 3,
        *[Ask(molde, "nb")] * 3,
        *[Ask(trondheim, "en")] * 2,
        *[Ask(network, "nn")] * 2,
        *[Ask(api, "en")] * 2,
    ]
    answers = at_once(server, asks)
    bodies: dict[tuple[str, str], set[bytes]] = {}
    for n, (ask, answer) in enumerate(zip(asks, answers, strict=True)):
        assert answer.status_code == 200, (ask, answer.text[:500])
        assert answer.headers["Content-Type"] == "application/pdf"
        content = answer.content
        assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
        language = "nb" if ask.path == api else ask.language
        assert f"/Lang({language})".encode() in content
        text = pdf_text(content, tmp_path, f"{n}.pdf")
        if "5001" in ask.path:
            assert "Trondheim" in text and "Molde" not in text.split("Trondheim", 1)[0][:200]
        elif "1506" in ask.path:
            assert "Molde" in text
        key = ("5001", "nb") if ask.path == api else (ask.path, language)
        bodies.setdefault(key, set()).add(content)
    # One report, one set of bytes: to every reader at once, and to the site and the API alike.
    assert all(len(found) == 1 for found in bodies.values()), {k: len(v) for k, v in bodies.items()}
    assert bodies[("5001", "nb")] == bodies[(trondheim, "nb")]


def test_downloads_made_at_once_for_the_first_time_are_whole(server: Server) -> None:
    from rdflib import Graph

    asks = [
        *[Ask("/download/berekraft-data.zip", "nb")] * 4,
        *[Ask("/download/berekraft-data.zip", "en")] * 2,
        *[Ask("/download/berekraft-data.json-stat.json", "en")] * 3,
        *[Ask("/download/berekraft-data.sdmx.csv", "nb")] * 3,
        *[Ask("/download/berekraft-data.open-sdg.zip", "nb")] * 2,
        *[Ask("/catalog.ttl", "nb")] * 2,
    ]
    answers = at_once(server, asks)
    bodies: dict[tuple[str, str], set[bytes]] = {}
    for ask, answer in zip(asks, answers, strict=True):
        assert answer.status_code == 200, (ask, answer.text[:500])
        content = answer.content
        bodies.setdefault((ask.path, ask.language), set()).add(content)
        if ask.path.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                assert archive.testzip() is None
                names = archive.namelist()
            assert ("datapackage.json" in names) if ask.path.endswith("data.zip") else len(names) > 1
        elif ask.path.endswith(".json"):
            assert json.loads(content)["class"] == "dataset"
        elif ask.path.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
            assert rows[0][0] == "STRUCTURE" and len(rows) > 100
        else:
            assert len(Graph().parse(data=content.decode("utf-8"), format="turtle")) > 100
    assert all(len(found) == 1 for found in bodies.values()), {k: len(v) for k, v in bodies.items()}
    made = sorted(p.name for p in (server.home / "downloads").iterdir())
    assert not [name for name in made if name.endswith(".part")], made  # no half-written file left


def test_pages_in_three_languages_at_once_each_speak_their_own(server: Server) -> None:
    paths = ["/", "/goals/", *[f"/members/{code}/" for code in server.members[:4]]]
    asks = [Ask(path, language) for path in paths for language in LANGUAGES]
    for batch in (asks[:9], asks[9:]):  # 18 renders, 9 at a time (8 threads: one waits)
        for ask, answer in zip(batch, at_once(server, batch), strict=True):
            assert answer.status_code == 200, ask
            page = answer.text
            assert f'<html lang="{ask.language}"' in page, ask
            assert SKIP[ask.language] in page and COMPARE[ask.language] in page, ask
            assert not [words for lang, words in SKIP.items() if lang != ask.language and words in page], ask


def test_api_reads_rendered_at_once_equal_the_same_reads_alone(server: Server) -> None:
    reads = [
        "/api/v1/observations?indicator=ec-i-ws-1c&limit=1000",
        "/api/v1/observations?member=5001&limit=500&sort=year",
        "/api/v1/scores/series?member=1506&limit=200",
        "/api/v1/networks/baerekraftsnettverket",
        "/api/v1/indicators?limit=50",
    ]

    def without_marker(content: bytes) -> Any:
        return json.loads(re.sub(rb"[&?]n=[a-z0-9]+", b"", content))

    with httpx.Client(base_url=server.base, timeout=120) as client:
        alone = {
            read: without_marker(client.get(f"{read}&n=alone" if "?" in read else f"{read}?n=alone").content)
            for read in reads
        }
    # Each asked three times, each time a URL not asked before (no cached answer).
    asks = [Ask(f"{read}{'&' if '?' in read else '?'}n=t{i}") for i in range(3) for read in reads]
    for ask, answer in zip(asks, at_once(server, asks), strict=True):
        assert answer.status_code == 200, (ask, answer.text[:500])
        read = re.sub(r"[&?]n=t\d+$", "", ask.path)
        assert without_marker(answer.content) == alone[read], ask


def test_failed_logins_at_once_are_all_counted_and_lock_the_user_out(server: Server) -> None:
    def login(username: str, password: str, start: threading.Barrier | None = None) -> int:
        with httpx.Client(base_url=server.base, timeout=60) as client:
            form = client.get("/accounts/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            assert token is not None
            if start is not None:
                start.wait()
            answer = client.post(
                "/accounts/login/",
                data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
            )
            return answer.status_code

    start = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(lambda _: login("threaded-kari", "wrong", start), range(THREADS)))
    assert set(statuses) <= {200, 429} and 429 in statuses, statuses  # none a server error
    # Eight failures at once were counted as eight: past the limit of five, the right password is
    # refused; a user nobody tried logs in as ever (302 to the workspace).
    assert login("threaded-kari", PASSWORD) == 429
    assert login("threaded-ola", PASSWORD) == 302
