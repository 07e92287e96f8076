"""Benchmark: import into the database and rescore, on a fresh SQLite (or BEREKRAFT_DATABASE_URL).

1. A 100,000-cell JSON-stat2 file (357 municipalities × 28 contents × 10 years, SSB's layout)
   mapped to 28 U4SSC series → read → validate → one batch written, published → every score
   recomputed.
2. A 5,000-row workbook (tidy columns) read and imported the same way.

Prints seconds per step and peak memory. Goal (issue 3): 100,000 cells imported and rescored under
10 s on SQLite. Run: ``.venv/bin/python bench/import_db.py`` (``make bench`` runs every benchmark).
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HOME = tempfile.mkdtemp(prefix="berekraft-bench-")
os.environ.setdefault("BEREKRAFT_HOME", HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from berekraft.core.catalogue import load_catalogue  # noqa: E402
from berekraft.core.demo import demo_ranges  # noqa: E402
from berekraft.importers.base import Limits  # noqa: E402
from berekraft.importers.jsonstat_file import read_jsonstat_file  # noqa: E402
from berekraft.importers.registry import read_file  # noqa: E402
from berekraft.importers.ssb_mapping import parse_mapping  # noqa: E402
from berekraft.observations.imports import import_table  # noqa: E402
from berekraft.places.models import Place  # noqa: E402
from berekraft.scores.services import scores_recompute  # noqa: E402

YEARS = [str(y) for y in range(2015, 2025)]
LIMITS = Limits(max_bytes=200 * 1024 * 1024, max_rows=2_000_000, max_columns=200)


def single_value_series(count: int) -> list[str]:
    """Series with one data point and a plain numeric unit (not yes/no)."""
    ranges = demo_ranges()
    found = [s.code for s in load_catalogue().series if "/" not in s.code and "yes/no" not in s.unit]
    return [code for code in found if code in ranges][:count]


def jsonstat_file(path: Path, regions: list[str], series: list[str]) -> dict[str, Any]:
    rng = random.Random(7)
    ranges = demo_ranges()
    contents = [f"C{i:02d}" for i in range(len(series))]
    values = []
    for _region in regions:
        for code in series:
            spec = ranges[code]
            for _year in YEARS:
                values.append(round(rng.uniform(spec.low, spec.high), 3))
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "label": "berekraft benchmark table",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(regions), len(contents), len(YEARS)],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "dimension": {
            "Region": {"category": {"index": {r: i for i, r in enumerate(regions)}}},
            "ContentsCode": {"category": {"index": {c: i for i, c in enumerate(contents)}}},
            "Tid": {"category": {"index": {y: i for i, y in enumerate(YEARS)}}},
        },
        "extension": {"px": {"tableid": "99999"}},
        "value": values,
    }
    path.write_text(json.dumps(dataset), encoding="utf-8")
    return {
        "version": 1,
        "entries": [
            {
                "id": f"bench-{c}",
                "table": "99999",
                "contents": c,
                "series": s,
                "method": "as_is",
                "confidence": "low",
                "note": "benchmark",
            }
            for c, s in zip(contents, series, strict=True)
        ],
    }


def workbook_file(path: Path, places: list[str], series: list[str], rows: int) -> None:
    ranges = demo_ranges()
    rng = random.Random(11)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["place", "indicator", "series", "year", "value", "source"])
    n = 0
    for place in places:
        for code in series:
            for year in range(2015, 2025):
                if n == rows:
                    book.save(path)
                    return
                spec = ranges[code]
                sheet.append([place, code, "", year, round(rng.uniform(spec.low, spec.high), 3), "benchmark"])
                n += 1
    book.save(path)


def dead_rows() -> str:
    """PostgreSQL: dead rows left in the score tables (bloat from repeated runs)."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables "
            "WHERE relname IN ('scores_seriesscore', 'scores_aggregatescore')"
        )
        (dead,) = cursor.fetchone() or (0,)
    return f"; {dead:,} dead rows in the score tables"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    folder = Path(HOME)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(
        f"database: {django.conf.settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"set up in {time.perf_counter() - started:.1f} s"
    )
    regions = list(
        Place.objects.filter(kind="municipality", valid_to__isnull=True).values_list("code", flat=True)
    )
    series = single_value_series(28)
    path = folder / "bench.json"
    mapping = parse_mapping(jsonstat_file(path, regions, series))
    cells = len(regions) * len(series) * len(YEARS)

    t0 = time.perf_counter()
    table = read_jsonstat_file(path, LIMITS, mapping=mapping)
    t1 = time.perf_counter()
    report = import_table(
        table, file_name=path.name, checksum="bench", reader="jsonstat", user=None, publish=True
    )
    # The import asked for a score run (scores.tasks); the worker's run, here in this process:
    run = scores_recompute()
    t2 = time.perf_counter()
    assert report.ok, report.errors[:5]
    print(f"JSON-stat file          {cells:>9,} cells, {path.stat().st_size / 1e6:.1f} MB")
    print(f"  read + map            {t1 - t0:>9.2f} s")
    print(f"  validate + write      {t2 - t1 - run.seconds:>9.2f} s   ({report.new:,} new values, one batch)")
    print(f"  rescore               {run.seconds:>9.2f} s   ({run.series_scores:,} series scores)")
    print(f"  total                 {t2 - t0:>9.2f} s   goal < 10 s: {'MET' if t2 - t0 < 10 else 'MISSED'}")
    again = [scores_recompute().seconds for _ in range(2)]
    print(f"  rescore again, twice  {again[0]:>9.2f} s {again[1]:.2f} s (nothing changed){dead_rows()}")

    members = ["5001", "1103", "4204", "1804", "1505", "1506", "1508", "1833", "1106", "1149", "3201", "3203"]
    book = folder / "bench.xlsx"
    workbook_file(book, members, single_value_series(60), 5000)
    t3 = time.perf_counter()
    reader, rows = read_file(book, LIMITS)
    t4 = time.perf_counter()
    report = import_table(
        rows, file_name=book.name, checksum="bench-xlsx", reader=reader.name, user=None, publish=True
    )
    scores_recompute()
    t5 = time.perf_counter()
    assert report.ok, report.errors[:5]
    print(f"workbook                {rows.height:>9,} rows")
    print(f"  read                  {t4 - t3:>9.2f} s")
    print(f"  import + rescore      {t5 - t4:>9.2f} s")
    print(f"peak RSS                {peak_mib():>9.0f} MiB")


if __name__ == "__main__":
    main()
