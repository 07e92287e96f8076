"""Two app servers, one PostgreSQL, one Redis (issue 10, item 4): a score run finished anywhere is
seen by every server at once, not after its cached pages expire.

Two ``berekraft serve`` processes (one worker each) share the test database and the Redis at
BEREKRAFT_TEST_REDIS_URL (default redis://127.0.0.1:6379/0). Both have served and cached a member's
page; then a published value changes and the score run is made here (the asynchronous score runs
of issue 9 are not there yet: calling it directly is what a verify does at its end). The very next
request to either server must show the new score. Skipped without Redis, except when CI=true.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.postgres

REDIS_URL = os.environ.get("BEREKRAFT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PAGE = "/members/5001.json"


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI ({REDIS_URL}): {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _get(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + PAGE, timeout=30) as response:
        data: dict[str, Any] = json.load(response)
        return data


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[str]]:
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share one PostgreSQL (SQLite is one machine's file)")
    _redis_or_skip()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BEREKRAFT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env |= {"BEREKRAFT_DATABASE_URL": _database_url(), "BEREKRAFT_CACHE_URL": REDIS_URL}
    berekraft = Path(sys.executable).parent / "berekraft"
    processes, bases, logs = [], [], []
    for n in range(2):
        port = _free_port()
        home = tmp_path / f"server{n}"
        log = (tmp_path / f"server{n}.log").open("wb")
        logs.append(log)
        processes.append(
            subprocess.Popen(
                [berekraft, "serve", "--port", str(port), "--workers", "1"],
                env=env | {"BEREKRAFT_HOME": str(home)},
                stdout=log,
                stderr=log,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            for _ in range(300):
                try:
                    _get(base)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"server {base} did not start: {(tmp_path / 'server0.log').read_text()[-2000:]}")
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        for log in logs:
            log.close()


def _score(page: dict[str, Any], code: str) -> Any:
    return next(r["value"] for r in page["rows"] if r["code"] == code)


@pytest.mark.django_db(transaction=True)
def test_a_score_run_is_seen_by_every_app_server_at_once(servers: list[str]) -> None:
    from berekraft.observations.models import Observation
    from berekraft.observations.services import data_version_bump
    from berekraft.scores.services import scores_recompute
    from berekraft.settings import cache_settings

    first = _get(servers[0])
    row = next(r for r in first["rows"] if r["value"] is not None)
    code, year, before = row["code"], row["year"], row["value"]
    for base in servers:  # both have rendered and cached the page
        assert _score(_get(base), code) == before
        assert _score(_get(base), code) == before
    changed = before * 1.5 + 1.0
    Observation.objects.filter(place__code="5001", series__code=code, year=year).update(
        value=changed, published_value=changed
    )
    data_version_bump()
    with override_settings(CACHES=cache_settings(REDIS_URL, connection.settings_dict)):
        scores_recompute()
    for base in reversed(servers):
        assert _score(_get(base), code) == pytest.approx(changed)
