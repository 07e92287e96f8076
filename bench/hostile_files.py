"""Benchmark: hostile files of issue 7 (findings 9 and 10), time and peak memory until refused.

1. A 10 M shared-strings .xlsx (~2 MB on disk, 170 MB of XML): read by the workbook reader as
   the web does (in the sandbox child) with the default limits (refused by the strings count), and
   with the strings limit lifted (the child is stopped by its deadline or its memory limit).
2. A JSON-stat file with 220,000 one-category dimensions (refused by the cheap checks).

Each case runs in a fresh process, so that the peak resident memory reported (``ru_maxrss`` of
the process and of its children, i.e. the sandbox child) is its own. These are measurements, not
assertions: the tests check that the limits work, this script says what they cost.
Run: ``.venv/bin/python bench/hostile_files.py``
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.importers.hostile_files import many_dimensions_jsonstat, shared_strings_workbook


def _case(kind: str, folder: str) -> tuple[str, float, float, float, str]:
    from berekraft.errors import InputError
    from berekraft.importers.base import Limits
    from berekraft.importers.sandbox import read_file_isolated

    path = Path(folder) / ("strings.xlsx" if kind.startswith("xlsx") else "wide.json")
    limits = {
        "xlsx, default limits": Limits(),
        "xlsx, strings unlimited, 10 s deadline": Limits(max_strings=10**9, timeout=10),
        "xlsx, strings unlimited, 512 MB": Limits(max_strings=10**9, timeout=120, max_memory=512 * 2**20),
        "json-stat, 220,000 dimensions": Limits(),
    }[kind]
    start = time.perf_counter()
    try:
        read_file_isolated(path, limits)
        outcome = "read (!)"
    except InputError as exc:
        outcome = exc.problems[0].message % dict(exc.problems[0].params)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return kind, seconds, own, child, outcome


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        shared_strings_workbook(Path(folder) / "strings.xlsx")
        many_dimensions_jsonstat(Path(folder) / "wide.json")
        print(f"generated both files in {time.perf_counter() - start:.1f} s")
        for name in ("strings.xlsx", "wide.json"):
            print(f"  {name}: {(Path(folder) / name).stat().st_size / 1e6:.1f} MB")
        kinds = (
            "xlsx, default limits",
            "xlsx, strings unlimited, 10 s deadline",
            "xlsx, strings unlimited, 512 MB",
            "json-stat, 220,000 dimensions",
        )
        context = multiprocessing.get_context("spawn")
        print(f"{'case':42} {'seconds':>8} {'parent MB':>10} {'child MB':>9}  outcome")
        for kind in kinds:
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                case, seconds, own, child, outcome = pool.submit(_case, kind, folder).result()
            print(f"{case:42} {seconds:8.2f} {own:10.0f} {child:9.0f}  {outcome}")


if __name__ == "__main__":
    main()
