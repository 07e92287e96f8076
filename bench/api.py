"""API benchmark: "one KPI, all members, all years" from the API against Datasette serving the same
SQLite file with the same query, both on 127.0.0.1, in one run; prints req/s, p99 and the ratio.

    .venv/bin/pip install datasette          # for this benchmark only; not a project dependency
    .venv/bin/python bench/api.py [--duration 5] [--connections 10] [--workers 1]

Needs wrk (Debian package `wrk`). The API answers /api/v1/observations?indicator=…&limit=1000
(published values of the KPI's series, every member and year: a few hundred rows, as JSON through
pydantic); Datasette answers the same rows by the same SQL (joins to place, series and indicator
codes; same order) with ``_shape=array``. berekraft serve runs ``--workers`` gunicorn workers
(default 1, as Datasette runs one process). Goal: ratio ≥ 1.0. Under wrk the API answers from its
cache of rendered public reads (web/pagecache.py, until the next score run, as the pages do); a
bounded loop of requests that each ask a new URL measures both uncached too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from web import wrk

BIN = Path(sys.executable).parent
INDICATOR = "EN: EN: AQ: 1C"  # air pollution: five series, every member, 2015–2025
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
limit 1001
"""


def _wait(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def cold(url: str, *, count: int) -> tuple[float, float]:
    """req/s and p99 (ms) of ``count`` sequential requests, each with a query never asked before,
    so that no cache of rendered answers serves it (a bounded Python loop)."""
    times = []
    for i in range(count):
        start = time.perf_counter()
        urllib.request.urlopen(f"{url}&cold={i}", timeout=30).read()
        times.append(time.perf_counter() - start)
    times.sort()
    return count / sum(times), times[min(count - 1, round(0.99 * count))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--cold", type=int, default=30, help="sequential uncached requests per server")
    args = parser.parse_args()
    if shutil.which("wrk") is None or not (BIN / "datasette").exists():
        print(
            "needs wrk (apt-get install wrk) and datasette (.venv/bin/pip install datasette)", file=sys.stderr
        )
        return 2
    home = Path(tempfile.mkdtemp(prefix="berekraft-bench-api-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_HOME": str(home), "BEREKRAFT_API_ANON_REQUESTS": str(10**9)}
    print(f"preparing the demo database in {home} …", flush=True)
    subprocess.run([BIN / "berekraft", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    database = home / "berekraft.sqlite3"
    api_port, datasette_port = args.port, args.port + 1
    log = (home / "servers.log").open("wb")
    servers = [
        subprocess.Popen(
            [BIN / "berekraft", "serve", "--port", str(api_port), "--workers", str(args.workers)],
            env=env,
            stdout=log,
            stderr=log,
        ),
        subprocess.Popen(
            [
                BIN / "datasette",
                "serve",
                "-i",
                str(database),
                "--port",
                str(datasette_port),
                "--setting",
                "sql_time_limit_ms",
                "5000",
            ],
            env=env,
            stdout=log,
            stderr=log,
        ),
    ]
    slug = "en-en-aq-1c"
    api_url = f"http://127.0.0.1:{api_port}/api/v1/observations?indicator={slug}&limit=1000"
    query = urllib.parse.urlencode({"sql": SQL, "indicator": INDICATOR, "_shape": "array"})
    datasette_url = f"http://127.0.0.1:{datasette_port}/berekraft.json?{query}"
    try:
        _wait(api_url)
        _wait(datasette_url)
        api_rows = json.load(urllib.request.urlopen(api_url))["items"]
        datasette_rows = json.load(urllib.request.urlopen(datasette_url))
        same = [(r["member"], r["series"], r["year"], r["value"]) for r in api_rows] == [
            (r["member"], r["series"], r["year"], r["value"]) for r in datasette_rows
        ]
        results = {
            "API /api/v1/observations": wrk(api_url, duration=args.duration, connections=args.connections),
            "Datasette, same SQL": wrk(datasette_url, duration=args.duration, connections=args.connections),
        }
        cold_results = {
            "API, uncached": cold(api_url, count=args.cold),
            "Datasette, uncached": cold(datasette_url, count=args.cold),
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
        log.close()
        shutil.rmtree(home, ignore_errors=True)
    print(f"\none KPI ({INDICATOR}), all members, all years: {len(api_rows)} rows; same rows both: {same}")
    print(
        f"wrk {args.connections} connections × {args.duration} s; "
        f"berekraft {args.workers} worker(s); {os.cpu_count()} cores"
    )
    print(f"{'server':<28} {'req/s':>9} {'p99 ms':>9} {'errors':>7}")
    for label, (rps, p99, errors) in results.items():
        print(f"{label:<28} {rps:>9.0f} {p99:>9.1f} {errors:>7}")
    ratio = results["API /api/v1/observations"][0] / results["Datasette, same SQL"][0]
    met = "met" if ratio >= 1.0 else "NOT met"
    print(f"\nratio API / Datasette (req/s): {ratio:.2f}× (goal ≥ 1.0: {met})")
    print("(the API keeps public answers rendered until the next score run, as the site's pages do;")
    print(" Datasette runs the SQL each time)")
    print(f"\n{args.cold} sequential requests, each a new URL (no cache of rendered answers):")
    for label, (rps, p99) in cold_results.items():
        print(f"{label:<28} {rps:>9.1f} {p99:>9.1f}")
    cold_ratio = cold_results["API, uncached"][0] / cold_results["Datasette, uncached"][0]
    print(f"ratio API / Datasette, uncached: {cold_ratio:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
