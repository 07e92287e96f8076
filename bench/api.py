"""API benchmark: "one KPI, all members, all years" from the API against Datasette serving the same
SQLite file with the same query, both on 127.0.0.1, in one run; prints req/s, p99, CPU per request
and the ratios.

    .venv/bin/pip install datasette          # for this benchmark only; not a project dependency
    .venv/bin/python bench/api.py [--duration 5] [--rounds 3] [--connections 10] [--threads 4] [--no-sync]
    .venv/bin/python bench/api.py --norway [--members 357] [--years 30]   # 4 connections, 10 s, once

Needs wrk (Debian package `wrk`). The API answers /api/v1/observations?indicator=…&limit=1000
(the published values of the KPI's series for every member and year, as JSON); Datasette answers
the same rows by the same SQL as the API's (observations/selectors.py ``published_page``: joins to
place, series and indicator codes; same order, limit and offset) with ``_shape=array``. Datasette
runs one process (an event loop and its SQL threads); berekraft serve runs one worker, as shipped
(threaded, gunicorn's gthread: ``--threads``, default serve's own, 4) and, unless ``--no-sync``,
also with ``--threads 1`` (gunicorn's sync worker: a connection per request).

Per server two measurements under wrk, with the same connections and duration, in ``--rounds``
rounds that take the servers in turn (the machine's load drifts; medians are printed):

- *uncached* (the fair one, and the goal: ratio ≥ 1.0): every request asks a URL never asked before
  (a wrk script adds ``&cold=cold-<run>-<thread>-<n>``), so the API's cache of rendered public reads
  (web/pagecache.py) never answers; Datasette has no such cache;
- *cached*: the same URL each time; the API answers from its cache of rendered reads.

Besides req/s and p99 it prints the server's CPU time per request (its processes' user + system
time from /proc over the requests served, berekraft's background worker left out): on a machine
shared with others, req/s and p99 move with everyone's load, CPU per request much less.

``--norway`` measures on the Norway-sized database that bench/norway.py builds and keeps (357
municipalities × 112 series × 30 years by default; built first if missing, which takes minutes;
kept under ``$XDG_CACHE_HOME/berekraft/bench-norway-MxY/``): there the KPI is members × 5 series ×
years values, so the first page (1,000 rows) and the last page (by the cursor the API gives,
walked from the first page; Datasette by its OFFSET) are measured.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from berekraft.server import DEFAULT_THREADS

BIN = Path(sys.executable).parent
INDICATOR = "EN: EN: AQ: 1C"  # air pollution: five series, every member, every year
SLUG = "en-en-aq-1c"
LIMIT = 1000
SQL = """
select o.id, p.code as member, s.code as series, i.code as indicator, o.year,
       o.published_value as value, o.published_quality as quality, o.published_source as source,
       o.published_data_origin as data_origin, o.published_origin = 'demo' as demonstration_data,
       'verified' as status
from observations_observation o
join places_place p on p.id = o.place_id
join catalogue_series s on s.id = o.series_id
join catalogue_indicator i on i.id = s.indicator_id
where i.code = :indicator and o.published_value is not null
order by p.code, s."order", o.year, o.id
limit :limit offset :offset
"""
COUNT = """
select count(*) as n from observations_observation o
join catalogue_series s on s.id = o.series_id
join catalogue_indicator i on i.id = s.indicator_id
where i.code = :indicator and o.published_value is not null
"""
# Each request a new URL: the run's, the thread's and the request's number (one Lua state a thread),
# in the query parameter named by the script's second argument (default ``cold``).
UNCACHED_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  run = args[1] or "0"
  name = args[2] or "cold"
  n = 0
end
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "&" .. name .. "=cold-" .. run .. "-" .. tid .. "-" .. n)
end
"""


@dataclass
class Result:
    rps: float
    p99: float  # ms
    errors: int
    cpu_ms: float  # server CPU time per request


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=10)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def _descendants(root: int) -> list[int]:
    """``root`` and every process under it (from /proc), less berekraft's background worker (it
    polls for tasks whatever the traffic)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"berekraft.cli worker" in command:
            continue
        found.append(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return found


def _drained(server: int, *, quiet: float = 0.5, longest: float = 60.0) -> None:
    """Wait until ``server`` has finished what wrk left queued (a sync worker answers requests
    whose clients have gone), so that it does not count in the next measurement."""
    deadline = time.monotonic() + longest
    used = cpu_seconds(server)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu_seconds(server)
        if now - used < 0.02:
            return
        used = now


def cpu_seconds(root: int) -> float:
    """User + system CPU time of ``root`` and its processes so far."""
    total = 0
    for pid in _descendants(root):
        try:
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _latency(text: str) -> float:
    """wrk's latency (``812.00us``, ``1.20ms``, ``2.01s``, ``1.02m``) in ms."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise SystemExit(f"wrk printed a latency this does not read: {text!r}")
    return float(found[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[found[2]]


RUNS = iter(range(1, 10**6))
# No time limit that a Norway-sized sort could hit, and a page of the API's size plus one.
DATASETTE_SETTINGS = [
    "--setting",
    "sql_time_limit_ms",
    "60000",
    "--setting",
    "max_returned_rows",
    str(LIMIT + 1),
]


def wrk(
    url: str, server: int, *, duration: int, connections: int, uncached: bool, parameter: str = "cold"
) -> Result:
    """One wrk run against ``url`` on the server process ``server``; ``uncached``: each request adds
    ``&<parameter>=cold-<run>-<thread>-<n>`` (a parameter the page reads, where its cache keys only
    those: web/pagecache.py)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    command += ["-H", "Accept-Language: nb"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(UNCACHED_LUA)
        script.flush()
        if uncached:
            command += ["-s", script.name]
        before = cpu_seconds(server)
        out = subprocess.run(
            [*command, url, *(["--", str(next(RUNS)), parameter] if uncached else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        used = cpu_seconds(server) - before
    _drained(server)
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _latency(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"Socket errors: .*?(\d+) timeout", out))
    return Result(rps, p99, errors, used * 1000 / max(count, 1))


def _norway_home(members: int, years: int) -> Path:
    """The kept database of bench/norway.py, built (only) if missing."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    home = cache / "berekraft" / f"bench-norway-{members}x{years}"
    if not (home / "berekraft.sqlite3").exists():
        print(f"building the Norway-sized database in {home} (bench/norway.py; minutes) …", flush=True)
    # norway.py measures nothing with --only matching no URL; it builds, or checks the scores are current.
    build = [sys.executable, str(Path(__file__).parent / "norway.py"), "--members", str(members)]
    build += ["--years", str(years), "--sizes", str(members), "--only", "/no-such-page", "--rps-seconds", "0"]
    env = {k: v for k, v in os.environ.items() if k != "BEREKRAFT_DATABASE_URL"}
    subprocess.run(build, env=env, check=True, stdout=subprocess.DEVNULL)
    return home


def _rows(url: str) -> list[tuple[object, ...]]:
    found = json.load(urllib.request.urlopen(url, timeout=120))
    rows = found["items"] if isinstance(found, dict) else found
    return [(r["member"], r["series"], r["year"], r["value"]) for r in rows][:LIMIT]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _total(rounds: list[Result]) -> Result:
    """Median req/s and p99 of the rounds; CPU per request over all of them."""
    served = [r.rps for r in rounds]
    cpu = sum(r.cpu_ms * r.rps for r in rounds) / sum(served) if sum(served) else float("nan")
    return Result(_median(served), _median([r.p99 for r in rounds]), sum(r.errors for r in rounds), cpu)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--duration", type=int, help="seconds of wrk per measurement (5; --norway 10)")
    parser.add_argument("--rounds", type=int, help="rounds of measurements, for medians (3; --norway 1)")
    parser.add_argument("--connections", type=int, help="wrk's connections (10; --norway 4)")
    parser.add_argument("--workers", type=int, default=1, help="berekraft serve's workers (default 1)")
    parser.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"berekraft serve's threads (default {DEFAULT_THREADS})",
    )
    parser.add_argument("--no-sync", action="store_true", help="not also berekraft serve --threads 1")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--norway", action="store_true", help="on bench/norway.py's database")
    parser.add_argument("--members", type=int, default=357, help="with --norway (default 357)")
    parser.add_argument("--years", type=int, default=30, help="with --norway (default 30)")
    args = parser.parse_args()
    # At Norway's size a request costs tens to hundreds of ms: longer runs, once.
    args.duration = args.duration or (10 if args.norway else 5)
    args.rounds = args.rounds or (1 if args.norway else 3)
    args.connections = args.connections or (4 if args.norway else 10)
    return args


def main() -> int:
    args = _arguments()
    if shutil.which("wrk") is None or not (BIN / "datasette").exists():
        print(
            "needs wrk (apt-get install wrk) and datasette (.venv/bin/pip install datasette)", file=sys.stderr
        )
        return 2
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_API_ANON_REQUESTS": str(10**9)}
    scratch = Path(tempfile.mkdtemp(prefix="berekraft-bench-api-"))
    if args.norway:
        home = _norway_home(args.members, args.years)
    else:
        home = scratch
        print(f"preparing the demo database in {home} …", flush=True)
        demo = [BIN / "berekraft", "demo", "--no-serve"]
        subprocess.run(demo, env=env | {"BEREKRAFT_HOME": str(home)}, check=True, capture_output=True)
    env |= {"BEREKRAFT_HOME": str(home)}
    database = home / "berekraft.sqlite3"
    size = database.stat().st_size / 2**20
    log = (scratch / "servers.log").open("wb")
    serve = [BIN / "berekraft", "serve", "--workers", str(args.workers)]
    shipped = ", default" if args.threads == DEFAULT_THREADS else ""
    configurations = {
        f"API ({args.workers} worker × {args.threads} threads{shipped})": [
            *serve,
            "--threads",
            str(args.threads),
        ]
    }
    if not args.no_sync and args.threads > 1:
        configurations[f"API ({args.workers} sync worker)"] = [*serve, "--threads", "1"]
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    for port, (label, command) in enumerate(configurations.items(), start=args.port):
        servers[label] = (
            subprocess.Popen([*command, "--port", str(port)], env=env, stdout=log, stderr=log),
            port,
        )
        # One after the other: each runs collectstatic into the same folder first.
        _wait(f"http://127.0.0.1:{port}/api/v1/goals")
    datasette_port = args.port + len(servers)
    servers["Datasette"] = (
        subprocess.Popen(
            [
                BIN / "datasette",
                "serve",
                "-i",
                str(database),
                "--port",
                str(datasette_port),
                *DATASETTE_SETTINGS,
            ],
            env=env,
            stdout=log,
            stderr=log,
        ),
        datasette_port,
    )

    cursors: dict[int, str] = {}

    def api_cursor(port: int, offset: int) -> str:
        """The cursor the API gives for the page at ``offset``: the ``next`` of the page before,
        walked from the first (the public listing's cursors hold the last row's sort key)."""
        if offset not in cursors:
            first = f"http://127.0.0.1:{port}/api/v1/observations?indicator={SLUG}&limit={LIMIT}"
            cursor, at = "", 0
            while at < offset:
                with urllib.request.urlopen(
                    first + (f"&cursor={cursor}" if cursor else ""), timeout=120
                ) as r:
                    cursor = json.load(r)["next"]
                at += LIMIT
            cursors[offset] = cursor
        return cursors[offset]

    def url(label: str, offset: int) -> str:
        port = servers[label][1]
        if label != "Datasette":
            cursor = f"&cursor={api_cursor(port, offset)}" if offset else ""
            return f"http://127.0.0.1:{port}/api/v1/observations?indicator={SLUG}&limit={LIMIT}{cursor}"
        # LIMIT + 1 rows, as the API reads one more than a page to know whether another follows.
        query = {"sql": SQL, "indicator": INDICATOR, "limit": LIMIT + 1, "offset": offset, "_shape": "array"}
        return f"http://127.0.0.1:{port}/{database.stem}.json?{urllib.parse.urlencode(query)}"

    rounds: dict[str, dict[str, list[Result]]] = {}
    pages: dict[str, int] = {}
    try:
        for label in servers:
            _wait(url(label, 0))
        count = {"sql": COUNT, "indicator": INDICATOR, "_shape": "array"}
        total = json.load(
            urllib.request.urlopen(
                f"http://127.0.0.1:{datasette_port}/{database.stem}.json?{urllib.parse.urlencode(count)}",
                timeout=120,
            )
        )[0]["n"]
        offsets = {"first page": 0}
        if total > LIMIT:
            offsets["last page"] = (total - 1) // LIMIT * LIMIT
        for page, offset in offsets.items():
            answers = {label: _rows(url(label, offset)) for label in servers}
            if len({repr(rows) for rows in answers.values()}) != 1:
                raise SystemExit(f"{page}: the API and Datasette answer different rows")
            pages[page] = len(answers["Datasette"])
            for n in range(args.rounds):
                order = list(servers) if n % 2 == 0 else list(reversed(servers))
                for uncached in (True, False):
                    name = f"{page}, {'uncached' if uncached else 'cached'}"
                    for label in order:
                        found = wrk(
                            url(label, offset),
                            servers[label][0].pid,
                            duration=args.duration,
                            connections=args.connections,
                            uncached=uncached,
                        )
                        rounds.setdefault(name, {}).setdefault(label, []).append(found)
    finally:
        for server, _port in servers.values():
            server.terminate()
            server.wait(30)
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    load = os.getloadavg()
    print(f"\ndatabase: {f'Norway-sized ({home.name})' if args.norway else 'the demo'}, {size:.0f} MB")
    print(
        f"one KPI ({INDICATOR}), all members, all years: {total:,} values, pages of {LIMIT}: "
        + ", ".join(f"{page} {n} rows" for page, n in pages.items())
        + "; the same rows from every server"
    )
    print(
        f"wrk {args.connections} connections × {args.duration} s, {args.rounds} rounds (medians); "
        f"{os.cpu_count()} cores; load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(f"\n{'':<24}{'':<38}{'req/s':>8}{'p99 ms':>9}{'CPU ms':>8}{'ratio':>8}")
    ratios: dict[str, float] = {}
    for name, by_server in rounds.items():
        results = {label: _total(found) for label, found in by_server.items()}
        peer = results["Datasette"]
        shown = name
        for label, r in results.items():
            ratio = r.rps / peer.rps if peer.rps else float("nan")
            if name == "first page, uncached":
                ratios[label] = ratio
            errors = f"  errors {r.errors}" if r.errors else ""
            cells = f"{r.rps:>8.{0 if r.rps >= 10 else 1}f}{r.p99:>9.0f}{r.cpu_ms:>8.1f}"
            print(f"{shown:<24}{label:<38}{cells}{'' if label == 'Datasette' else f'{ratio:>7.2f}×'}{errors}")
            shown = ""
    print("\nratio (req/s) to Datasette, uncached first page (goal ≥ 1.0):")
    for label, ratio in ratios.items():
        if label != "Datasette":
            print(f"  {label}: {ratio:.2f}× ({'met' if ratio >= 1.0 else 'NOT met'})")
    print("(CPU ms: the server's CPU time per request served; cached: the API answers from its cache of")
    print(" rendered public reads until the next score run, Datasette runs the SQL each time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
