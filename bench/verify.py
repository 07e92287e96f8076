"""Benchmark: verifying one value on the demo network, in-process.

Prepares the demo on a fresh SQLite (or BEREKRAFT_DATABASE_URL, which must be an empty scratch
database), starts ``berekraft worker`` in its own process as ``berekraft serve`` does, and then,
a few times over: an editor changes a value and submits it, and the verifier's POST to the
workspace's verify page is timed (the request), then the time until the stored scores show the
new value (the worker's run; a run waits SCORE_RUN_DELAY_SECONDS and the worker looks for work
every second). ``--immediate`` runs the score run inside the request instead, as before issue 9:
the floor the worker path is compared with.

Run: ``.venv/bin/python bench/verify.py [--runs 5] [--immediate]``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="berekraft-bench-")
os.environ.setdefault("BEREKRAFT_HOME", HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from berekraft.catalogue.models import Series  # noqa: E402
from berekraft.observations.models import Observation  # noqa: E402
from berekraft.observations.workflow import observation_edit, observations_submit  # noqa: E402
from berekraft.places.models import Place  # noqa: E402
from berekraft.scores.models import ScoreRun, SeriesScore  # noqa: E402

PLACE, SERIES, YEAR = "5001", "EC: I: WS: 1C", 2024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--immediate", action="store_true", help="the score run inside the request")
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("demo", "--no-serve", stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"demo prepared in {time.perf_counter() - started:.1f} s ({os.environ['BEREKRAFT_HOME']})")
    worker = None
    if args.immediate:
        immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        override_settings(TASKS=immediate).enable()
    else:
        worker = subprocess.Popen(
            [sys.executable, "-m", "berekraft.cli", "worker", "--no-reload", "--verbosity", "0"]
        )
        time.sleep(3)  # the worker's start-up (Django, the first look for work)
    requests: list[float] = []
    visible: list[float] = []
    runs: list[float] = []
    try:
        place, series = Place.objects.get(code=PLACE), Series.objects.get(code=SERIES)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username="demo-verifier"))
        client.get("/workspace/verify/")  # warm up: the first request of a process loads the site
        for i in range(args.runs):
            obs = Observation.objects.get(place=place, series=series, year=YEAR)
            value = 50.0 + i
            version = obs.version
            observation_edit(
                place=place, series=series, year=YEAR, expected_version=version, user=None, value=str(value)
            )
            observations_submit(place=place, year=YEAR, user=None)
            begin = time.perf_counter()
            response = client.post("/workspace/verify/", {"observation": [obs.pk]})
            requests.append(time.perf_counter() - begin)
            assert response.status_code == 302, response.status_code
            while SeriesScore.objects.get(place=place, series=series, year=YEAR).value != value:
                time.sleep(0.02)
            visible.append(time.perf_counter() - begin)
            runs.append(ScoreRun.objects.latest("pk").seconds)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
    mode = "score run in the request" if args.immediate else "score run on the worker"
    print(f"{mode}, {args.runs} verifies of one value, {Observation.objects.count()} observations:")
    print("  verify requests (ms):", ", ".join(f"{r * 1000:.0f}" for r in requests))
    print(
        f"  verify request: median {statistics.median(requests) * 1000:.0f} ms, "
        f"min {min(requests) * 1000:.0f} ms, max {max(requests) * 1000:.0f} ms"
    )
    print(
        f"  scores show it after: median {statistics.median(visible):.2f} s, "
        f"max {max(visible):.2f} s (the run itself: median {statistics.median(runs):.2f} s)"
    )


if __name__ == "__main__":
    main()
