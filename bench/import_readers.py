"""Benchmark: the readers of the data-in issue.

1. A 99,960-cell JSON-stat 2.0 file shaped like an SSB answer (357 regions × 10 contents × 28 years),
   read by ``berekraft.core.jsonstat`` and by ``pyjstat`` (``Dataset.read(text).write('dataframe')``),
   both from the same JSON text (parsing included). Goal: ours ≥ 5× faster.
2. A 5,000-row tidy workbook read by the ``workbook`` reader (zip checks, formula scan, ImportTable).

Each measurement runs in a fresh process so that its peak memory (resident set, as the OS counts
it: polars and pandas allocate outside tracemalloc) is its own. Times are the best of ``--repeat``.
Run: ``.venv/bin/python bench/import_readers.py`` (pyjstat comes with the ``dev`` extra).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REGIONS, CONTENTS, YEARS = 357, 10, 28


def jsonstat_text(seed: int = 1) -> str:
    rng = random.Random(seed)
    regions = [f"{3000 + i:04d}" for i in range(REGIONS)]
    contents = [f"Innhold{i}" for i in range(CONTENTS)]
    years = [str(1997 + i) for i in range(YEARS)]
    n = REGIONS * CONTENTS * YEARS
    values = [None if rng.random() < 0.02 else round(rng.uniform(0, 100_000), 1) for _ in range(n)]
    status = {str(i): ".." for i, v in enumerate(values) if v is None}

    def dimension(codes: list[str], label: str) -> dict[str, object]:
        return {
            "label": label,
            "category": {"index": {c: i for i, c in enumerate(codes)}, "label": {c: c for c in codes}},
        }

    return json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "label": "99999: Syntetisk tabell",
            "source": "benchmark",
            "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
            "id": ["Region", "ContentsCode", "Tid"],
            "size": [REGIONS, CONTENTS, YEARS],
            "dimension": {
                "Region": dimension(regions, "region"),
                "ContentsCode": dimension(contents, "statistikkvariabel"),
                "Tid": dimension(years, "år"),
            },
            "value": values,
            "status": status,
        }
    )


def best(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(path: str, repeat: int) -> tuple[float, float, int, float]:
    from berekraft.core.jsonstat import read_frame

    text = Path(path).read_text(encoding="utf-8")
    seconds, frame = best(lambda: read_frame(text, labels=True), repeat)
    parse, _ = best(lambda: json.loads(text), repeat)
    return seconds, peak_mb(), frame.height, parse  # type: ignore[attr-defined]


def run_pyjstat(path: str, repeat: int) -> tuple[float, float, int]:
    from pyjstat import pyjstat

    text = Path(path).read_text(encoding="utf-8")
    seconds, frame = best(lambda: pyjstat.Dataset.read(text).write("dataframe"), repeat)
    return seconds, peak_mb(), len(frame)  # type: ignore[arg-type]


def run_workbook(path: str, repeat: int) -> tuple[float, float, int]:
    from berekraft.importers.base import Limits
    from berekraft.importers.registry import read_file

    seconds, result = best(lambda: read_file(Path(path), Limits()), repeat)
    return seconds, peak_mb(), result[1].height  # type: ignore[index]


def write_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["place", "indicator", "series", "year", "value", "quality", "source"])
    rng = random.Random(2)
    for i in range(rows):
        sheet.append(
            [
                f"{3000 + i % 357:04d}",
                "EN: EN: AQ: 1C",
                "PM2.5",
                1995 + i // 357,
                rng.uniform(1, 40),
                "measured",
                "NILU",
            ]
        )
    book.save(path)


def measure(function: Callable[[str, int], tuple[float, ...]], path: Path, repeat: int) -> tuple[float, ...]:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, str(path), repeat).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5000, help="rows in the workbook")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "synthetic.json"
        source.write_text(jsonstat_text(), encoding="utf-8")
        cells = REGIONS * CONTENTS * YEARS
        print(
            f"JSON-stat 2.0: {REGIONS} regions × {CONTENTS} contents × {YEARS} years = {cells:,} cells, "
            f"{source.stat().st_size / 1e6:.1f} MB (best of {args.repeat}, parse included)"
        )
        ours = measure(run_ours, source, args.repeat)
        theirs = measure(run_pyjstat, source, args.repeat)
        assert ours[2] == theirs[2] == cells, (ours, theirs)
        print(f"  berekraft.core.jsonstat  {ours[0]:8.3f} s   peak {ours[1]:6.0f} MB", end="")
        print(f"   (of which json.loads {ours[3]:.3f} s)")
        print(f"  pyjstat                  {theirs[0]:8.3f} s   peak {theirs[1]:6.0f} MB")
        ratio = theirs[0] / ours[0]
        print(
            f"  ratio                    {ratio:8.1f} ×   (goal ≥ 5×: {'met' if ratio >= 5 else 'NOT met'})"
        )
        workbook = Path(folder) / "tidy.xlsx"
        write_workbook(workbook, args.rows)
        seconds, peak, height = measure(run_workbook, workbook, args.repeat)
        assert height == args.rows
        print(f"Workbook: {args.rows:,} rows × 7 columns, {workbook.stat().st_size / 1e6:.2f} MB")
        print(f"  workbook reader          {seconds:8.3f} s   peak {peak:6.0f} MB")


if __name__ == "__main__":
    main()
