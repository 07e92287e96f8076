"""Benchmark: `berekraft import` and `berekraft recompute` of a Norway-sized file (issue 9).

    .venv/bin/python bench/import_norway.py [--postgres [URL]] [--database NAME]
                                            [--members 357] [--years 30] [--berekraft PATH]
                                            [--steps import,recompute,again,changed] [--json FILE]

A tidy CSV of every current municipality × 112 series × 30 years (≈ 1.2 M rows,
``bench/norway_data.py``; written once to the cache) is imported into a fresh database with the
reference data and the 357 members, each step a ``berekraft`` command in its own process:

1. ``import --publish`` of the whole file (every value new);
2. ``recompute`` (every score);
3. ``import --publish`` of the same file again ("0 changed");
4. ``import --publish`` of the file with every tenth value changed (a year's revisions).

For each: seconds (wall and CPU), peak memory (the process's maximum resident set), and the ratio
of the seconds to a floor measured in the same run: polars reading the CSV plus the database
storing its rows as they are in a table without indexes (COPY of the file on PostgreSQL,
executemany on SQLite). ``--berekraft`` runs another checkout's command (e.g.
``/work/main/.venv/bin/berekraft``) on the same file and database setup: before and after, side by
side. SQLite lives in ``$XDG_CACHE_HOME/berekraft/bench-import-norway/``; ``--postgres`` uses the
database ``--database`` (default bench_import_norway) on that server, dropped and created anew.

Goals (issue 9): import of 1.2 M rows < 60 s and < 1 GB; recompute < 15 s (2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--members", type=int, default=357)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("BEREKRAFT_DATABASE_URL") or DEFAULT_POSTGRES,
        help="run on PostgreSQL (this server)",
    )
    parser.add_argument("--database", default="bench_import_norway", help="PostgreSQL database name")
    parser.add_argument(
        "--berekraft",
        default=str(Path(sys.executable).parent / "berekraft"),
        help="the berekraft command to measure (default: this checkout's)",
    )
    parser.add_argument("--steps", default="import,recompute,again,changed", help="steps to run")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    return parser.parse_args()


ARGS = _arguments()
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "berekraft" / "bench-import-norway"
HOME = CACHE / "home"
CSV = CACHE / f"norway-{ARGS.members}x{ARGS.years}.csv"
CHANGED = CACHE / f"norway-{ARGS.members}x{ARGS.years}-changed.csv"


def database_url() -> str | None:
    if not ARGS.postgres:
        return None
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(ARGS.postgres)._replace(path=f"/{ARGS.database}"))


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BEREKRAFT_HOME=str(HOME),
        DJANGO_SETTINGS_MODULE="berekraft.settings",
        BEREKRAFT_IMPORT_MAX_BYTES=str(1 << 30),
        BEREKRAFT_IMPORT_MAX_ROWS=str(10_000_000),
    )
    url = database_url()
    if url:
        env["BEREKRAFT_DATABASE_URL"] = url
    else:
        env.pop("BEREKRAFT_DATABASE_URL", None)
    return env


def write_files() -> int:
    """The CSV (once) and its revision with every tenth value changed; returns the rows."""
    import polars as pl
    from norway_data import write

    CACHE.mkdir(parents=True, exist_ok=True)
    if not CSV.exists():
        print(f"writing {CSV} …", flush=True)
        write(CSV, members=ARGS.members, years=ARGS.years)
    frame = pl.read_csv(CSV, infer_schema=False)
    if not CHANGED.exists():
        value = pl.col("value").cast(pl.Float64)
        yes_no = value.is_in([0.0, 1.0])
        changed = (pl.int_range(pl.len()) % 10 == 0) & ~yes_no
        frame.with_columns(
            pl.when(changed).then((value * 0.99).round(3).cast(pl.String)).otherwise(pl.col("value"))
        ).write_csv(CHANGED)
    return frame.height


def fresh_database() -> None:
    """An empty database with the reference data and every place of the file as a member."""
    if HOME.exists():
        shutil.rmtree(HOME)
    HOME.mkdir(parents=True)
    url = database_url()
    if url:
        import psycopg

        with psycopg.connect(str(ARGS.postgres), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{ARGS.database}"')
            conn.execute(f'CREATE DATABASE "{ARGS.database}"')
    env = environment()
    for command in (["migrate", "-v0"], ["load-reference"]):
        subprocess.run([ARGS.berekraft, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    code = (
        "import django; django.setup()\n"
        "from norway_data import places\n"
        "from berekraft.places.models import Membership, Network, Place\n"
        "network = Network.objects.get(code='baerekraftsnettverket')\n"
        "have = set(Membership.objects.filter(network=network).values_list('place__code', flat=True))\n"
        f"wanted = Place.objects.filter(code__in=places({ARGS.members}, {ARGS.years}))\n"
        "Membership.objects.bulk_create(\n"
        "    [Membership(network=network, place=p, kind='kommune') for p in wanted if p.code not in have]\n"
        ")\n"
    )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")])
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def measure(command: list[str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak MB, last line of output) of one berekraft command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [ARGS.berekraft, *command],
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-3000:]}")
    last = [line for line in output.splitlines() if line.strip()][-1:]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, last[0] if last else ""


def floor() -> tuple[float, float]:
    """(seconds for polars to read the CSV, seconds for the database to store its rows as they are
    in a table without indexes), in this process."""
    import polars as pl

    started = time.perf_counter()
    frame = pl.read_csv(CSV, infer_schema=False)
    read = time.perf_counter() - started
    columns = ", ".join(f'"{c}" text' for c in frame.columns)
    started = time.perf_counter()
    url = database_url()
    if url:
        import psycopg

        with psycopg.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE floor ({columns})")
            with (
                CSV.open("rb") as handle,
                cursor.copy("COPY floor FROM STDIN WITH (FORMAT csv, HEADER)") as copy,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
    else:
        import sqlite3

        conn = sqlite3.connect(HOME / "berekraft.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"CREATE TEMPORARY TABLE floor ({columns})")
        marks = ", ".join("?" * frame.width)
        with conn:
            for chunk in frame.iter_slices(100_000):
                conn.executemany(f"INSERT INTO floor VALUES ({marks})", chunk.rows())
        conn.close()
    return read, time.perf_counter() - started


def main() -> int:
    rows = write_files()
    engine = "PostgreSQL" if ARGS.postgres else "SQLite"
    print(f"{engine}; {os.cpu_count()} cores; {ARGS.berekraft}")
    print(f"file: {CSV.name}, {rows:,} rows, {CSV.stat().st_size / 1e6:.0f} MB", flush=True)
    fresh_database()
    read, write = floor()
    base = read + write
    print(
        f"floor: polars reads the CSV in {read:.1f} s, the database stores its rows in {write:.1f} s",
        flush=True,
    )
    steps = {
        "import": ("import (all new)", ["import", str(CSV), "--publish"]),
        "recompute": ("recompute", ["recompute"]),
        "again": ("import again (0 changed)", ["import", str(CSV), "--publish"]),
        "changed": ("import, 1 in 10 changed", ["import", str(CHANGED), "--publish"]),
    }
    print(f"\n{'step':<28}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}{'× floor':>9}  result", flush=True)
    figures: dict[str, object] = {"engine": engine, "rows": rows, "floor": {"read_s": read, "write_s": write}}
    measured: dict[str, dict[str, object]] = {}
    for name in ARGS.steps.split(","):
        label, command = steps[name]
        wall, cpu, peak, last = measure(command)
        ratio = f"{wall / base:>9.1f}" if name != "recompute" else f"{'':>9}"
        print(f"{label:<28}{wall:>9.1f}{cpu:>9.1f}{peak:>9.0f}{ratio}  {last[:70]}", flush=True)
        measured[name] = {"label": label, "wall_s": wall, "cpu_s": cpu, "peak_mb": peak, "result": last}
        if ARGS.json:  # after every step: a failed later step keeps the figures of the earlier ones
            Path(ARGS.json).write_text(json.dumps({**figures, "steps": measured}, indent=1))
    print("\ngoals: import of 1.2 M rows < 60 s and < 1024 MB; recompute < 15 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
