"""Benchmark: the compare page's data twin, uncached, against Datasette on the same database (issue 9).

    .venv/bin/python bench/compare_twin.py [--members 357] [--years 30] [--postgres [URL]]
                                           [--duration 10] [--rounds 2] [--connections 4] [--json FILE]

On the Norway-sized database that bench/norway.py builds and keeps (built first if missing:
minutes), ``berekraft serve --workers 1`` (one sync worker, as shipped) answers
``/compare.json?series=ec-ict-ict-1c`` (one series, every member, every year, with the mean and
median per year) and Datasette (one process, ``datasette serve -i`` on the same SQLite file) answers
the same values by the equivalent SQL (``SQL`` below: the series' scores of every member of the
network, municipalities first by name, then the mean and median of each year of at least two
values). Both on 127.0.0.1 under wrk (bench/api.py's ``wrk``: the same connections and duration,
in ``--rounds`` rounds that take the servers in turn; medians), uncached: every request adds
``&group=cold-<run>-<thread>-<n>``, a parameter the compare view reads (an unknown group is "all
members"), so the page cache, which keys only the parameters a page reads (web/pagecache.py),
never answers. The rows of both are checked to be the same values first. Prints req/s, p99, the
server's CPU per request and the ratio; goal (issue 9): berekraft's req/s ≥ Datasette's.

``--postgres``: berekraft on bench/norway.py's PostgreSQL database (``bench_norway_MxY`` on that
server); Datasette serves SQLite only, so berekraft's figure is printed alone.

Needs wrk (Debian package ``wrk``) and, on SQLite, datasette (``.venv/bin/pip install datasette``;
not a project dependency).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from api import BIN, Result, _total, _wait, wrk  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
NETWORK = "baerekraftsnettverket"
SERIES = "EC: ICT: ICT: 1C"
SLUG = "ec-ict-ict-1c"
PATH = f"/compare.json?series={SLUG}"
MINIMUM = 2  # web/selectors/common.py NETWORK_MINIMUM: one member's value is no mean or median
# What compare_series reads and computes, as one query: the series' scores of the network's members
# (municipalities first, by name, as web/selectors/common.py's members()), then per year the mean
# and the median (the middle value, or the mean of the middle two) of at least MINIMUM values
# (Datasette passes every parameter as text).
SQL = """
with v as (
  select p.code, p.name_nb as name, m.kind = 'fylkeskommune' as county, ss.year, ss.value
  from scores_seriesscore ss
  join catalogue_series s on s.id = ss.series_id
  join places_membership m on m.place_id = ss.place_id
  join places_network n on n.id = m.network_id
  join places_place p on p.id = ss.place_id
  where n.code = :network and s.code = :series
),
ranked as (
  select year, value,
         row_number() over (partition by year order by value) as r,
         count(*) over (partition by year) as n
  from v
)
select code, name, year, value from (
  select code, name, county, year, value, 0 as part from v
  union all
  select '', 'mean', 0, year, avg(value), 1 from v group by year having count(*) >= cast(:minimum as integer)
  union all
  select '', 'median', 0, year, avg(value), 2 from ranked
  where r in ((n + 1) / 2, (n + 2) / 2) group by year having max(n) >= cast(:minimum as integer)
)
order by part, county, name, code, year
"""
# No time limit a Norway-sized query could hit, and far more rows than 357 members × 30 years
# (Datasette's default stops at 1,000).
SETTINGS = ["--setting", "sql_time_limit_ms", "60000", "--setting", "max_returned_rows", "100000"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--members", type=int, default=357, help="bench/norway.py's network (default 357)")
    parser.add_argument("--years", type=int, default=30, help="bench/norway.py's years (default 30)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("BEREKRAFT_DATABASE_URL") or DEFAULT_POSTGRES,
        help="berekraft on PostgreSQL (this server; bench/norway.py's database on it); no Datasette",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per measurement")
    parser.add_argument("--rounds", type=int, default=2, help="rounds, servers in turn (medians)")
    parser.add_argument("--connections", type=int, default=4, help="wrk's connections")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    return parser.parse_args()


def norway_database(members: int, years: int, postgres: str | None) -> tuple[Path, str | None]:
    """bench/norway.py's home and (on PostgreSQL) database URL, the database built only if missing."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    name = f"bench-norway-{members}x{years}"
    home = cache / "berekraft" / name
    # norway.py measures nothing with --only matching no URL; it builds, or checks the scores are current.
    build = [sys.executable, str(HERE / "norway.py"), "--members", str(members), "--years", str(years)]
    build += ["--sizes", str(members), "--only", "/no-such-page", "--rps-seconds", "0"]
    url = None
    if postgres:
        build += ["--postgres", postgres]
        database = "/" + name.replace("-", "_")
        url = urllib.parse.urlunsplit(urllib.parse.urlsplit(postgres)._replace(path=database))
    print(f"checking (or building: minutes) bench/norway.py's database {name} …", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "BEREKRAFT_DATABASE_URL"}
    subprocess.run(build, env=env, check=True, stdout=subprocess.DEVNULL)
    return home, url


def twin_values(table: dict[str, Any]) -> list[tuple[str, int, float]]:
    """compare.json's table as (member code, or mean / median, year, value), in its order."""
    years = [c["key"] for c in table["columns"] if c["key"].isdigit()]
    labels = iter(["mean", "median"])
    found = []
    for row in table["rows"]:
        code = row["code"] or next(labels)
        found += [(code, int(y), row[y]) for y in years if row[y] is not None]
    return found


def datasette_values(rows: list[dict[str, Any]]) -> list[tuple[str, int, float]]:
    return [(r["code"] or r["name"], r["year"], r["value"]) for r in rows]


def same_values(ours: list[tuple[str, int, float]], theirs: list[tuple[str, int, float]]) -> bool:
    """The same (member, year) keys with the same values, in any order (members of the same name
    may come in either; a mean summed in another order differs in the last digits)."""
    a, b = {(c, y): v for c, y, v in ours}, {(c, y): v for c, y, v in theirs}
    return len(a) == len(ours) and a.keys() == b.keys() and all(math.isclose(a[k], b[k]) for k in a)


def main() -> int:
    args = _arguments()
    if shutil.which("wrk") is None:
        print("needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    with_datasette = not args.postgres
    if with_datasette and not (BIN / "datasette").exists():
        print("needs datasette (.venv/bin/pip install datasette)", file=sys.stderr)
        return 2
    home, url = norway_database(args.members, args.years, args.postgres)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_HOME": str(home)}
    if url:
        env |= {"BEREKRAFT_DATABASE_URL": url}
    database = home / "berekraft.sqlite3"
    scratch = Path(tempfile.mkdtemp(prefix="berekraft-bench-compare-"))
    log = (scratch / "servers.log").open("wb")
    label = "berekraft (1 sync worker)"
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    servers[label] = (
        subprocess.Popen(
            [BIN / "berekraft", "serve", "--workers", "1", "--port", str(args.port)],
            env=env,
            stdout=log,
            stderr=log,
        ),
        args.port,
    )
    query = {"sql": SQL, "network": NETWORK, "series": SERIES, "minimum": MINIMUM, "_shape": "array"}
    datasette_url = f"http://127.0.0.1:{args.port + 1}/{database.stem}.json?{urllib.parse.urlencode(query)}"
    if with_datasette:
        servers["Datasette"] = (
            subprocess.Popen(
                [BIN / "datasette", "serve", "-i", str(database), "--port", str(args.port + 1), *SETTINGS],
                env=env,
                stdout=log,
                stderr=log,
            ),
            args.port + 1,
        )
    urls = {label: f"http://127.0.0.1:{args.port}{PATH}", "Datasette": datasette_url}
    found: dict[str, list[Result]] = {}
    try:
        for name in servers:
            _wait(urls[name])
        table = json.load(urllib.request.urlopen(urls[label], timeout=120))
        ours = twin_values(table)
        members = sum(1 for r in table["rows"] if r["code"])
        cold = json.load(urllib.request.urlopen(urls[label] + "&group=cold-check", timeout=120))
        if cold["rows"] != table["rows"]:
            raise SystemExit("compare.json with an unknown group answers other rows than without one")
        if with_datasette:
            theirs = datasette_values(json.load(urllib.request.urlopen(datasette_url, timeout=120)))
            if not same_values(ours, theirs):
                differ = sorted(set(ours) ^ set(theirs))[:3]
                raise SystemExit(
                    f"berekraft and Datasette answer different values ({len(ours)} and {len(theirs)}; "
                    f"for example {differ})"
                )
        for n in range(args.rounds):
            order = list(servers) if n % 2 == 0 else list(reversed(servers))
            for name in order:
                result = wrk(
                    urls[name],
                    servers[name][0].pid,
                    duration=args.duration,
                    connections=args.connections,
                    uncached=True,
                    parameter="group",
                )
                found.setdefault(name, []).append(result)
    finally:
        for server, _port in servers.values():
            server.terminate()
            server.wait(30)
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    results = {name: _total(rounds) for name, rounds in found.items()}
    load = os.getloadavg()
    engine = "postgresql" if args.postgres else "sqlite"
    print(
        f"\n{engine}: {PATH} uncached ({members} members, {len(ours)} values with the means and medians)"
        + ("; the same values from Datasette" if with_datasette else "")
    )
    print(
        f"wrk {args.connections} connections × {args.duration} s, {args.rounds} rounds (medians); "
        f"{os.cpu_count()} cores; load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(f"{'':<28}{'req/s':>8}{'p99 ms':>9}{'CPU ms':>8}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<28}{r.rps:>8.1f}{r.p99:>9.0f}{r.cpu_ms:>8.1f}{r.errors:>8}")
    ratio = None
    if with_datasette:
        ratio = results[label].rps / results["Datasette"].rps if results["Datasette"].rps else None
        verdict = "met" if ratio is not None and ratio >= 1.0 else "NOT met"
        print(f"ratio to Datasette (goal ≥ 1.0): {ratio or float('nan'):.2f}× ({verdict})")
    else:
        print("Datasette serves SQLite only: no peer on PostgreSQL, berekraft's figure alone")
    if args.json:
        figures = {
            "engine": engine,
            "members": members,
            "values": len(ours),
            "berekraft": vars(results[label]),
            "datasette": vars(results["Datasette"]) if with_datasette else None,
            "ratio": ratio,
            "load": load[0],
        }
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
