"""Web benchmark: `berekraft serve` (2 workers) under wrk, 20 connections for 20 s each, on the
member profile and the compare .json, against a bare Django view on the same server as the floor.

    .venv/bin/python bench/web.py [--duration 20] [--connections 20] [--port 8777]

Needs wrk (Debian package `wrk`). Prints req/s and p99 per URL and checks the goals: the profile
at ≥ 50 % of the floor's req/s, p99 < 100 ms. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
TARGETS = [
    ("floor (bare Django view)", "/bench/floor"),
    ("member profile", "/members/5001/"),
    ("compare .json", "/compare.json?series=ec-ict-ict-1c"),
]


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, duration: int, connections: int) -> tuple[float, float, int]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", "Accept-Language: nb", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    return rps, p99, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--port", type=int, default=8777)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="berekraft-bench-web-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env |= {"BEREKRAFT_HOME": str(home), "BEREKRAFT_BENCH_FLOOR": "1"}
    print(f"preparing the demo database in {home} …", flush=True)
    subprocess.run([BIN / "berekraft", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [BIN / "berekraft", "serve", "--port", str(args.port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/floor", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        results = {}
        for label, path in TARGETS:
            urllib.request.urlopen(base + path, timeout=10)  # warm up
            results[label] = wrk(base + path, duration=args.duration, connections=args.connections)
    finally:
        server.terminate()
        server.wait(10)
        log.close()
        shutil.rmtree(home, ignore_errors=True)
    floor = results[TARGETS[0][0]][0]
    setup = f"wrk {args.connections} connections × {args.duration} s; {os.cpu_count()} cores"
    print(f"\nberekraft serve, 2 workers; {setup}")
    print(f"{'URL':<28} {'req/s':>9} {'p99 ms':>9} {'of floor':>9} {'errors':>7}")
    for label, (rps, p99, errors) in results.items():
        print(f"{label:<28} {rps:>9.0f} {p99:>9.1f} {rps / floor:>8.0%} {errors:>7}")
    profile_rps, profile_p99, _ = results["member profile"]
    ok = profile_rps >= 0.5 * floor and profile_p99 < 100
    print(f"\ngoal (profile ≥ 50 % of the floor's req/s and p99 < 100 ms): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
