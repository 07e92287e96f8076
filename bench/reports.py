"""Benchmark: the reports on the demo network (15 members) in a fresh SQLite database (or
BEREKRAFT_DATABASE_URL): a member's snapshot PDF, the network report PDF and a VLR draft DOCX.

Prints seconds (first call, which starts vl-convert's JavaScript engine and loads the fonts, and
the median of the next ones), peak memory, and the floor measured in the same run: reading the
profile through its selector plus typst setting a one-page document in the same fonts. Goals
(issue 11): a snapshot under 2 s and the network report under 10 s on a 2-core machine.
Run: ``.venv/bin/python bench/reports.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="berekraft-bench-")
os.environ.setdefault("BEREKRAFT_HOME", HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from berekraft.catalogue.services import catalogue_load  # noqa: E402
from berekraft.core.catalogue import load_catalogue  # noqa: E402
from berekraft.observations.services import demo_load  # noqa: E402
from berekraft.places.models import Network  # noqa: E402
from berekraft.places.services import geography_load  # noqa: E402
from berekraft.reports import render  # noqa: E402
from berekraft.reports.network import network_pdf  # noqa: E402
from berekraft.reports.snapshot import load_profile, snapshot_pdf  # noqa: E402
from berekraft.reports.vlr import vlr_docx  # noqa: E402
from berekraft.scores.services import scores_recompute  # noqa: E402

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Seconds of the first call and the median of ``repeat`` more."""
    start = time.perf_counter()
    work()
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return first, statistics.median(runs) if runs else first


def floor() -> None:
    with translation.override("nb"):
        load_profile(code="5001", year=2024, language="nb")
    render.pdf("floor.typ", {"title": "floor"}, created=CREATED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    catalogue_load(catalogue=load_catalogue())
    geography_load()
    demo_load(network=Network.objects.get(code="baerekraftsnettverket"))
    scores_recompute()
    floor_first, floor_s = timed(floor, args.repeat)
    cases = {
        "member snapshot (Trondheim 2024, nb)": lambda: snapshot_pdf(
            code="5001", year=2024, language="nb", created=CREATED
        ),
        "network report (15 members, 2024, nn)": lambda: network_pdf(
            year=2024, language="nn", created=CREATED
        ),
        "VLR draft DOCX (Trondheim 2024, nb)": lambda: vlr_docx(
            code="5001", year=2024, language="nb", created=CREATED
        ),
    }
    print(f"floor (profile read + one-page typst document): first {floor_first:.2f} s, then {floor_s:.3f} s")
    for name, work in cases.items():
        first, median = timed(work, args.repeat)
        print(
            f"{name}: first {first:.2f} s, then {median:.2f} s (median of {args.repeat}), "
            f"×{median / floor_s:.1f} floor"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (resident): {peak:.0f} MiB")
    print("goals: snapshot < 2 s, network report < 10 s")


if __name__ == "__main__":
    main()
