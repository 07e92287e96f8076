"""Benchmark: a whole country (issue 9), every figure in one run, on SQLite and then PostgreSQL.

    .venv/bin/python bench/norway_all.py [--db sqlite|postgres|both] [--postgres URL]
        [--members 357] [--years 30] [--sizes 15,100,357] [--skip import,recompute,pages,compare]
        [--import-steps import,recompute] [--rebuild] [--duration 10] [--rounds 2] [--json FILE]

For each database it runs the bench scripts, each as its own process with ``--json`` (their own
printout goes by as they run), in this order:

1. bench/import_norway.py: ``berekraft import --publish`` of the Norway-sized file into a fresh
   database (seconds, peak memory), then ``berekraft recompute`` (the first run);
2. bench/recompute.py: a full run with the scores stored, the run after one changed value, and one
   verify with ``berekraft worker`` in its own process (request time, time until the scores show it);
3. bench/norway.py: every public page and twin uncached at each of ``--sizes`` members (best of 3,
   queries, bytes), and the in-process compare.json req/s;
4. bench/compare_twin.py: the uncached ``/compare.json`` under wrk, one worker, against Datasette
   on the same SQLite file (PostgreSQL: berekraft's figure alone; Datasette serves SQLite only).

Then ONE summary table per database (bench/norway_summary.py): each figure, its goal from issue 9
and met / NOT met. A part that fails is reported and the next one runs. The databases of steps
2–4 are built once and kept (bench/norway.py's and bench/recompute.py's, in the user cache or on
the PostgreSQL server); ``--rebuild`` builds them again. At 357 × 30 the first run takes the better
part of an hour; ``--members 20 --years 3 --sizes 15,20`` is a run of a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from norway_summary import PARTS, render, summary_rows  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
ENGINES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BEREKRAFT_DATABASE_URL") or DEFAULT_POSTGRES,
        help="the PostgreSQL server (each script makes its own database on it)",
    )
    parser.add_argument("--members", type=int, default=357, help="places with data (default 357)")
    parser.add_argument("--years", type=int, default=30, help="years of data (default 30)")
    parser.add_argument("--sizes", default="15,100,357", help="members at which pages are measured")
    parser.add_argument("--skip", default="", help=f"parts left out, comma-separated: {', '.join(PARTS)}")
    parser.add_argument(
        "--import-steps",
        default="import,recompute",
        help="bench/import_norway.py's steps (also: again, changed)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the kept databases again")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per compare.json run")
    parser.add_argument("--rounds", type=int, default=2, help="compare.json rounds, servers in turn")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    args = parser.parse_args()
    unknown = set(filter(None, args.skip.split(","))) - set(PARTS)
    if unknown:
        parser.error(f"--skip: no part {', '.join(sorted(unknown))} (parts: {', '.join(PARTS)})")
    return args


def commands(args: argparse.Namespace, engine: str) -> dict[str, list[str]]:
    """Each part's command on ``engine`` (without its ``--json``)."""
    size = ["--members", str(args.members), "--years", str(args.years)]
    postgres = ["--postgres", args.postgres] if engine == "postgres" else []
    rebuild = ["--rebuild"] if args.rebuild else []
    python = [sys.executable]
    return {
        "import": [*python, str(HERE / "import_norway.py"), *size, *postgres, "--steps", args.import_steps],
        "recompute": [*python, str(HERE / "recompute.py"), *size, *postgres, *rebuild],
        "pages": [*python, str(HERE / "norway.py"), *size, *postgres, *rebuild, "--sizes", args.sizes],
        "compare": [
            *python,
            str(HERE / "compare_twin.py"),
            *size,
            *postgres,
            "--duration",
            str(args.duration),
            "--rounds",
            str(args.rounds),
        ],
    }


def run_part(part: str, command: list[str], out: Path) -> tuple[dict[str, Any] | None, str | None]:
    """Run one part, its printout passing through; (its figures, or None; why it failed, or None)."""
    print(f"\n=== {part}: {' '.join(Path(c).name if c.startswith('/') else c for c in command)}", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "BEREKRAFT_DATABASE_URL"}
    started = time.perf_counter()
    status = subprocess.run([*command, "--json", str(out)], env=env, check=False).returncode
    print(f"=== {part}: {time.perf_counter() - started:.0f} s", flush=True)
    figures = json.loads(out.read_text()) if out.exists() else None
    return figures, (f"exit status {status}" if status else None)


def main() -> int:
    args = _arguments()
    skipped = [p for p in PARTS if p in args.skip.split(",")]
    engines = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    load = os.getloadavg()
    print(
        f"bench-norway: {args.members} members × {args.years} years, pages at {args.sizes}; "
        f"{', '.join(ENGINES[e] for e in engines)}; {os.cpu_count()} cores; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        flush=True,
    )
    everything: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="berekraft-bench-norway-") as scratch:
        for engine in engines:
            print(f"\n##### {ENGINES[engine]}", flush=True)
            figures: dict[str, Any] = {"skipped": skipped, "failed": {}}
            for part, command in commands(args, engine).items():
                if part in skipped:
                    continue
                found, failed = run_part(part, command, Path(scratch) / f"{engine}-{part}.json")
                figures[part] = found
                if failed:
                    figures["failed"][part] = failed
            figures["load"] = os.getloadavg()[0]
            everything[engine] = figures
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1))
    for engine, figures in everything.items():
        sizes = (figures.get("pages") or {}).get("sizes") or []
        small = (
            "" if args.members >= 357 and args.years >= 30 else " (a small run: the goals are for 357 × 30)"
        )
        title = (
            f"{ENGINES[engine]}: summary, {args.members} members × {args.years} years{small}; "
            f"load average at the end {figures['load']:.1f}"
        )
        if sizes:
            title += (
                f"\npages: uncached, best of 3, ms at {' / '.join(map(str, sizes))} members; "
                f"size and goals at {max(sizes)}"
            )
        print(f"\n{render(title, summary_rows(figures))}")
    failed = any(figures["failed"] for figures in everything.values())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
