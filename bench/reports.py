"""Benchmark: the reports on the demo network (15 members) in a fresh SQLite database (or
BEREKRAFT_DATABASE_URL): a member's snapshot PDF, the network report PDF and a VLR draft DOCX.

Every figure is wall-clock seconds and the process's CPU seconds (all its threads): on a machine
shared with other work, wall time grows with the load and CPU time does not. Measured:

- cold process: ``berekraft report --member 5001`` as a new process, whole (Python, Django, the
  first chart starting vl-convert's JavaScript engine, typst), run twice;
- engine start: ``reports.charts.warm()``, what a server's web worker does as it starts;
- first report in a warm process, then later ones: each for another member or year, since typst
  keeps the result of an identical document and a repeated one would measure only that;
- peak memory, and the floor in the same run (the profile read through its selector plus typst
  setting a one-page document in the report fonts), with each report's ratio to it.

Goals (issue 11): a snapshot under 2 s and the network report under 10 s on a 2-core machine.
Run: ``.venv/bin/python bench/reports.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
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
from berekraft.reports import charts, render  # noqa: E402
from berekraft.reports.network import network_pdf  # noqa: E402
from berekraft.reports.snapshot import load_profile, snapshot_pdf  # noqa: E402
from berekraft.reports.vlr import vlr_docx  # noqa: E402
from berekraft.scores.services import scores_recompute  # noqa: E402

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
# Members of the demo network, Trondheim first (the snapshot of the README).
MEMBERS = ["5001", "1506", "3203", "1103", "3201", "1804", "1833", "1505", "4204", "1106"]


class Timing:
    """Wall and CPU seconds of one call."""

    def __init__(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def timed(work: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def cold_process(out: Path) -> Timing:
    """The report command as a new process: wall time, and the CPU time of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "berekraft.cli",
            "report",
            "--member",
            "5001",
            "--year",
            "2024",
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(time.perf_counter() - wall, cpu)


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def floor() -> None:
    with translation.override("nb"):
        load_profile(code="5001", year=2024, language="nb")
    render.pdf("floor.typ", {"title": "floor"}, created=CREATED)


def snapshots() -> Iterator[Callable[[], bytes]]:
    for code in MEMBERS:
        yield lambda code=code: snapshot_pdf(code=code, year=2024, language="nb", created=CREATED)


def networks() -> Iterator[Callable[[], bytes]]:
    for year in (2024, 2023, 2022):
        for language in ("nn", "nb", "en"):
            yield lambda y=year, lang=language: network_pdf(year=y, language=lang, created=CREATED)


def vlrs() -> Iterator[Callable[[], bytes]]:
    for code in MEMBERS:
        yield lambda code=code: vlr_docx(code=code, year=2024, language="nb", created=CREATED)


def first_and_later(name: str, calls: Iterator[Callable[[], bytes]], repeat: int, base: Timing) -> None:
    first = timed(next(calls))
    later = median([timed(next(calls)) for _ in range(repeat)])
    print(
        f"{name}: first {first}, later {later} (median of {repeat}, another member or year each), "
        f"CPU ×{later.cpu / base.cpu:.1f} floor"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="later calls measured (at most 8)")
    args = parser.parse_args()
    repeat = max(1, min(args.repeat, 8))
    call_command("migrate", verbosity=0)
    catalogue_load(catalogue=load_catalogue())
    geography_load()
    demo_load(network=Network.objects.get(code="baerekraftsnettverket"))
    scores_recompute()

    out = Path(HOME) / "cold.pdf"
    colds = [cold_process(out), cold_process(out)]
    print(f"cold process, `berekraft report --member 5001` whole: {colds[0]}; again {colds[1]}")

    timed(floor)
    base = median([timed(floor) for _ in range(repeat)])
    print(f"floor (profile read + one-page typst document): {base}")
    before = resident_mib()
    engine = timed(charts.warm)
    print(
        f"engine start (charts.warm(), once per process; a web worker does it as it starts): {engine}, "
        f"+{resident_mib() - before:.0f} MiB resident"
    )
    first_and_later("member snapshot (nb, 2024)", snapshots(), repeat, base)
    first_and_later("network report (15 members)", networks(), repeat, base)
    first_and_later("VLR draft DOCX (nb, 2024)", vlrs(), repeat, base)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (resident): {peak:.0f} MiB")
    print(
        "goals: snapshot < 2 s, network report < 10 s; a cold process adds its start and the "
        "engine start to the first report, a warm web worker does not"
    )


if __name__ == "__main__":
    main()
