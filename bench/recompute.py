"""Benchmark: score runs at Norway size — a full run, a partial run of one series, and a verify.

    XDG_CACHE_HOME=/some/cache .venv/bin/python bench/recompute.py [--members 357] [--years 30]
        [--postgres [URL]] [--rebuild] [--src DIR] [--no-verify] [--json FILE]

Builds (once) the network of ``bench/norway.py`` (its builder, imported: the 15 members and the
next municipalities by code, 112 series, ``--years`` years of demonstration values, about 1.2 M
at 357 × 30) in a database of its own: SQLite in ``$XDG_CACHE_HOME/berekraft/bench-recompute-MxY/``,
or the database ``bench_recompute_MxY`` on the PostgreSQL server of ``--postgres`` (default
BEREKRAFT_DATABASE_URL's, else postgres://postgres@127.0.0.1:5432/postgres). Then prints:

- **full run**: ``berekraft recompute`` (every series scored, nothing changed since the last run);
- **partial run**: one published value changed (through the service an edit uses), then the run
  the worker makes (``scores_recompute_if_stale``): its series at every place, and the aggregates
  it reaches; and the ratio of the two;
- **verify**: with ``berekraft worker`` in its own process (as ``berekraft serve`` starts it), a
  verifier's POST to the workspace's verify page, timed (the request), and the time until the
  stored score shows the new value (the run waits SCORE_RUN_DELAY_SECONDS, 2 s, for more changes).

``--src DIR`` runs against another checkout's ``src`` (e.g. ``/work/main/src``, for the figures
before partial runs; its database is ``…-before``), whose runs are all full runs.

Goals (issue 9): recompute < 15 s; a verify request < 200 ms and its scores visible < 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
parser.add_argument("--members", type=int, default=357, help="places with data (default 357)")
parser.add_argument("--years", type=int, default=30, help="years of data (default 30)")
parser.add_argument(
    "--postgres",
    nargs="?",
    const=os.environ.get("BEREKRAFT_DATABASE_URL") or DEFAULT_POSTGRES,
    help="run on PostgreSQL (this server; the bench's own database on it)",
)
parser.add_argument("--rebuild", action="store_true", help="build the database again")
parser.add_argument("--src", help="the berekraft source to measure (default: this checkout's)")
parser.add_argument("--no-verify", action="store_true", help="leave out the verify through the worker")
parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
ARGS = parser.parse_args()

NAME = f"bench-recompute-{ARGS.members}x{ARGS.years}" + ("-before" if ARGS.src else "")
HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "berekraft" / NAME
HOME.mkdir(parents=True, exist_ok=True)
(HOME / "static").mkdir(exist_ok=True)
os.environ["BEREKRAFT_HOME"] = str(HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
os.environ["BEREKRAFT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
SOURCE = str(Path(ARGS.src).resolve()) if ARGS.src else str(HERE.parent / "src")
sys.path.insert(0, SOURCE)
if ARGS.postgres:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    database = NAME.replace("-", "_")
    with psycopg.connect(ARGS.postgres, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["BEREKRAFT_DATABASE_URL"] = urlunsplit(urlsplit(ARGS.postgres)._replace(path=f"/{database}"))
else:
    os.environ.pop("BEREKRAFT_DATABASE_URL", None)
ENVIRONMENT = dict(os.environ)  # what the worker process gets: this database

import django  # noqa: E402

django.setup()

# norway.py's builder: imported after Django is set up on this bench's database, so the settings
# it puts into the environment (its own database) are not read; they are put back afterwards.
sys.argv = [str(HERE / "norway.py"), "--members", str(ARGS.members), "--years", str(ARGS.years)]
sys.path.insert(0, str(HERE))
import norway  # noqa: E402

os.environ.clear()
os.environ.update(ENVIRONMENT)

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from berekraft.observations.models import Observation  # noqa: E402
from berekraft.observations.services import observation_set  # noqa: E402
from berekraft.scores.models import ScoreRun, SeriesScore  # noqa: E402
from berekraft.scores.selectors import scores_are_current  # noqa: E402
from berekraft.scores.services import scores_recompute, scores_recompute_if_stale  # noqa: E402

PLACE, SERIES = "5001", "EC: I: WS: 1C"


def nearby(value: float) -> float:
    """Another value a form accepts for the same series (a share stays within 0–100)."""
    return round(value - 1.25 if value > 50 else value + 1.25, 4)


def timed(call: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def one_value() -> Observation:
    """A published value of member 5001 in its latest year: basic water supply where it has one."""
    values = Observation.objects.select_related("place", "series").filter(
        place__code=PLACE, published_value__isnull=False
    )
    found = values.filter(series__code=SERIES).order_by("-year").first() or values.order_by("-year").first()
    assert found is not None, f"{PLACE} has no published value"
    return found


def verify(value: float) -> tuple[float, float]:
    """(request seconds, seconds until the stored score shows ``value``), with the worker running."""
    from berekraft.accounts.services import role_grant
    from berekraft.observations.workflow import observation_edit, observations_submit
    from berekraft.places.models import Network

    verifier = User.objects.filter(username="bench-verifier").first()
    if verifier is None:
        verifier = User.objects.create_user("bench-verifier")
        role_grant(user=verifier, kind="verifier", network=Network.objects.get(code=norway.NETWORK))
    obs = one_value()
    observation_edit(
        place=obs.place,
        series=obs.series,
        year=obs.year,
        expected_version=obs.version,
        user=None,
        value=str(value),
    )
    observations_submit(place=obs.place, year=obs.year, user=None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "berekraft.cli", "worker", "--no-reload", "--verbosity", "0"],
        env={**ENVIRONMENT, "PYTHONPATH": SOURCE},
    )
    try:
        time.sleep(5)  # the worker's start-up (Django, its first look for work)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(verifier)
        client.get("/workspace/verify/")  # the first request of a process loads the site
        begin = time.perf_counter()
        response = client.post("/workspace/verify/", {"observation": [obs.pk]})
        request = time.perf_counter() - begin
        assert response.status_code == 302, response.status_code
        while SeriesScore.objects.get(place=obs.place, series=obs.series, year=obs.year).value != value:
            if worker.poll() is not None:
                raise SystemExit("the worker stopped")
            time.sleep(0.05)
        return request, time.perf_counter() - begin
    finally:
        worker.terminate()
        worker.wait(60)


def write_json(figures: dict[str, Any]) -> None:
    """The figures so far, for bench/norway_all.py (written after each step: a later failure
    keeps the earlier figures)."""
    if ARGS.json:
        Path(ARGS.json).write_text(json.dumps(figures, indent=1))


def main() -> int:
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {os.cpu_count()} cores; "
        f"source {SOURCE}; load average {os.getloadavg()[0]:.1f}"
    )
    call_command("migrate", interactive=False, verbosity=0)
    if ARGS.rebuild or not ScoreRun.objects.exists() or not Observation.objects.exists():
        norway.build()
    elif not scores_are_current():
        scores_recompute()
    observations = Observation.objects.filter(published_value__isnull=False).count()
    print(f"{observations:,} published values, {SeriesScore.objects.count():,} series scores")
    full, run = timed(scores_recompute)
    print(f"full run (berekraft recompute, nothing changed): {full:.1f} s")
    figures: dict[str, Any] = {
        "engine": connection.vendor,
        "published_values": observations,
        "full_s": full,
    }
    write_json(figures)
    obs = one_value()
    value = nearby(obs.published_value or 0.0)
    observation_set(
        place_id=obs.place_id,
        series_id=obs.series_id,
        year=obs.year,
        value=value,
        published_value=value,
        status="verified",
    )
    partial, run = timed(scores_recompute_if_stale)
    kind = "partial" if not getattr(run, "full", True) else "full"
    assert SeriesScore.objects.get(place=obs.place, series=obs.series, year=obs.year).value == value
    print(
        f"run after one changed value ({kind}: {run.series_scores:,} series scores, "
        f"{run.aggregate_scores:,} aggregates): {partial:.1f} s; full ÷ this: {full / partial:.1f}×"
    )
    figures |= {"partial_s": partial, "partial_kind": kind}
    write_json(figures)
    if not ARGS.no_verify:
        request, visible = verify(nearby(value))
        print(
            f"verify one value, worker in its own process: request {request * 1000:.0f} ms, "
            f"scores show it after {visible:.1f} s (goals: < 200 ms, < 30 s)"
        )
        figures |= {"verify_request_ms": request * 1000, "verify_visible_s": visible}
        write_json(figures)
    print(f"load average now {os.getloadavg()[0]:.1f} (2 cores shared: figures vary with it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
