"""Benchmark: a Norway-sized network, and what every public page costs at 15, 100 and 357 members.

    .venv/bin/python bench/norway.py [--members 357] [--years 30] [--sizes 15,100,357]
                                     [--postgres [URL]] [--rebuild] [--rps-seconds 5] [--json FILE]

Builds (once) a network of the 15 members of Bærekraftsnettverket and the next municipalities by
code from the packaged geography, up to ``--members``, each with the 112 series over ``--years``
years (357 × 112 × 30 ≈ 1.2 M demonstration values from ``core.demo``, loaded with ``bulk.py``'s
``insert_rows``), and computes every score with the engine (``scores_recompute``). The database is
kept between runs (SQLite in ``~/.cache/berekraft/bench-norway-MxY/``; on PostgreSQL the database
``bench_norway_MxY``), so a re-run only measures. ``--postgres`` uses
BEREKRAFT_DATABASE_URL's server (or the URL given, default postgres://postgres@127.0.0.1:5432/postgres).

Then, for each size, the network's membership is cut to the first N places (the scores stay those
of the whole run: the peer lens saw every place) and every public page and twin is requested
in-process with Django's test Client, the rendered-page cache cleared before each request: the
first (cold) time, the best of 3, the number of SQL queries and the size of the response. The
download-all zip is kept as a file per score run (web/downloads.py): its first time is the making
of it, its best the kept file sent. Last, the
uncached ``compare.json`` in requests per second for one worker (in-process, sequential: what one
gunicorn worker can serve), next to a bare ``HttpResponse`` through the same middleware (the floor).

Goals (issue 9): every public page < 150 ms uncached and < 1 MB of HTML at 357 members.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--members", type=int, default=357, help="places with data (default 357)")
    parser.add_argument("--years", type=int, default=30, help="years of data, up to 2024 (default 30)")
    parser.add_argument("--sizes", default="15,100,357", help="network sizes measured (default 15,100,357)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("BEREKRAFT_DATABASE_URL") or DEFAULT_POSTGRES,
        help="run on PostgreSQL (this server; the bench's own database on it)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--rps-seconds", type=float, default=5.0, help="seconds of compare.json requests")
    parser.add_argument("--only", default="", help="measure only URLs containing this text")
    parser.add_argument("--no-download", action="store_true", help="leave out the download-all zip")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    return parser.parse_args()


ARGS = _arguments()
NAME = f"bench-norway-{ARGS.members}x{ARGS.years}"
HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "berekraft" / NAME
HOME.mkdir(parents=True, exist_ok=True)
(HOME / "static").mkdir(exist_ok=True)  # whitenoise's root, empty: no collectstatic
os.environ["BEREKRAFT_HOME"] = str(HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
os.environ["BEREKRAFT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
if ARGS.postgres:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    base = urlsplit(ARGS.postgres)
    database = NAME.replace("-", "_")
    with psycopg.connect(ARGS.postgres, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["BEREKRAFT_DATABASE_URL"] = urlunsplit(base._replace(path=f"/{database}"))
else:
    os.environ.pop("BEREKRAFT_DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Templates render without collectstatic (as in the tests).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from berekraft.bulk import insert_rows  # noqa: E402
from berekraft.catalogue.models import Series  # noqa: E402
from berekraft.core import demo  # noqa: E402
from berekraft.observations.models import Observation  # noqa: E402
from berekraft.observations.services import data_version_bump, demo_ranges  # noqa: E402
from berekraft.places.models import Membership, Network, Place  # noqa: E402
from berekraft.scores.models import ScoreRun  # noqa: E402
from berekraft.scores.selectors import scores_are_current  # noqa: E402
from berekraft.scores.services import scores_recompute  # noqa: E402

LAST_YEAR = 2024
NETWORK = "baerekraftsnettverket"


def data_places() -> list[Place]:
    """The network's own members first, then the current municipalities by code, ARGS.members in all."""
    network = Network.objects.get(code=NETWORK)
    own = [m.place for m in Membership.objects.filter(network=network).select_related("place").order_by("pk")]
    codes = {p.code for p in own}
    others = Place.objects.filter(kind=Place.Kind.MUNICIPALITY, valid_to__isnull=True).order_by("code")
    return (own + [p for p in others if p.code not in codes])[: ARGS.members]


def spans(places: list[Place]) -> dict[str, range]:
    first = LAST_YEAR - ARGS.years + 1
    result = {}
    for p in places:
        start = max(first, p.valid_from.year) if p.valid_from and p.valid_to else first
        stop = min(LAST_YEAR, p.valid_to.year) if p.valid_to else LAST_YEAR
        result[p.code] = range(start, stop + 1)
    return result


def observation_rows(places: list[Place]) -> tuple[list[str], Callable[[], Any]]:
    """Column names and a generator of rows for ``insert_rows``: every field of Observation, the
    generated value as the published, verified value, the rest at the model's defaults."""
    ids = {p.code: p.pk for p in places}
    series_ids = dict(Series.objects.values_list("code", "id"))
    now = timezone.now()
    fixed: dict[str, Any] = {
        "status": Observation.Status.VERIFIED,
        "quality": Observation.Quality.UNKNOWN,
        "origin": Observation.Origin.DEMO,
        "published_quality": Observation.Quality.UNKNOWN,
        "published_origin": Observation.Origin.DEMO,
        "source": "Demonstration data (bench/norway.py)",
        "published_source": "Demonstration data (bench/norway.py)",
        "updated_at": now,
    }
    given = ("place", "series", "year", "value", "published_value")
    rest = [f for f in Observation._meta.concrete_fields if not f.primary_key and f.name not in given]
    columns = [*given, *(f.name for f in rest)]
    defaults = tuple(fixed[f.name] if f.name in fixed else f.get_default() for f in rest)

    def rows() -> Any:
        for place, series, year, value in demo.generate(spans(places), demo_ranges()):
            yield (ids[place], series_ids[series], year, value, value, *defaults)

    return columns, rows


def build() -> None:
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0)
    places = data_places()
    network = Network.objects.get(code=NETWORK)
    print(f"building: {len(places)} places × {ARGS.years} years …", flush=True)
    with transaction.atomic():
        Observation.objects.filter(origin=Observation.Origin.DEMO).delete()
        columns, rows = observation_rows(places)
        count = insert_rows(Observation, columns, rows())
        data_version_bump()
        members = set(Membership.objects.filter(network=network).values_list("place_id", flat=True))
        Membership.objects.bulk_create(
            [Membership(network=network, place=p, kind="kommune") for p in places if p.pk not in members]
        )
    loaded = time.perf_counter()
    print(f"  {count:,} observations loaded in {loaded - started:.1f} s", flush=True)
    run = scores_recompute()
    print(
        f"  scores computed in {time.perf_counter() - loaded:.1f} s "
        f"({run.series_scores:,} series scores, {run.aggregate_scores:,} aggregates)",
        flush=True,
    )


def set_members(places: list[Place], size: int) -> None:
    """The network's members become the first ``size`` places."""
    network = Network.objects.get(code=NETWORK)
    keep = places[:size]
    with transaction.atomic():
        Membership.objects.filter(network=network).exclude(place__in=keep).delete()
        have = set(Membership.objects.filter(network=network).values_list("place_id", flat=True))
        Membership.objects.bulk_create(
            [
                Membership(
                    network=network, place=p, kind="fylkeskommune" if p.kind == "county" else "kommune"
                )
                for p in keep
                if p.pk not in have
            ]
        )


def clear_caches() -> None:
    """Forget everything cached: the membership changed without a score run."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


def clear_page_cache() -> None:
    """Forget every rendered page (and nothing else)."""
    from berekraft.web import pagecache

    pagecache.pages.clear()


def urls() -> list[str]:
    series = "ec-ict-ict-1c"
    pages = [
        "/",
        "/members/5001/",
        f"/members/5001/series/{series}/",
        f"/compare/?series={series}",
        "/compare/members/?m=5001&m=1804",
        "/goals/",
        "/goals/11/",
        "/kpis/",
        "/kpis/ec-ict-ict-1c/",
    ]
    result = []
    for page in pages:
        path, _, query = page.partition("?")
        base = path.rstrip("/") or "/index"
        result.append(page)
        for fmt in ("json", "csv"):
            result.append(f"{base}.{fmt}" + (f"?{query}" if query else ""))
    result += [
        "/embed/map/",
        "/embed/members/5001/wheel/",
        f"/embed/members/5001/series/{series}/",
        f"/embed/compare/?series={series}",
        "/embed/goals/11/",
        "/download/berekraft-data.zip",
    ]
    return [u for u in result if ARGS.only in u and not (ARGS.no_download and u.endswith(".zip"))]


def measure(client: Client, url: str) -> tuple[float, float, int, int]:
    """(first, best of 3 in ms, queries of one request, bytes)."""
    times = []
    queries = 0
    size = 0
    download = url.endswith(".zip")
    for attempt in range(2 if download else 3):  # the download: made, then the kept file
        clear_page_cache()
        if download and attempt == 0:
            shutil.rmtree(HOME / "downloads", ignore_errors=True)  # made by this request
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            body = response.getvalue() if response.streaming else response.content  # sent whole
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if attempt == 0:
            queries = len(captured.captured_queries)
            size = len(body)
    return times[0], min(times), queries, size


def requests_per_second(client: Client, url: str, seconds: float) -> float:
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        clear_page_cache()
        assert client.get(url).status_code < 400
        count += 1
    return count / (time.perf_counter() - started)


def main() -> int:
    engine = connection.vendor
    print(f"database: {engine} ({settings.DATABASES['default']['NAME']}); {os.cpu_count()} cores")
    call_command("migrate", interactive=False, verbosity=0)
    if ARGS.rebuild or not ScoreRun.objects.exists() or Observation.objects.count() == 0:
        build()
    elif not scores_are_current():
        started = time.perf_counter()
        scores_recompute()
        print(f"scores were stale: recomputed in {time.perf_counter() - started:.1f} s")
    print(f"observations: {Observation.objects.count():,}")
    places = data_places()
    sizes = list(dict.fromkeys(min(int(s), len(places)) for s in ARGS.sizes.split(",")))
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    results: dict[str, dict[int, tuple[float, float, int, int]]] = {}
    rps: dict[int, tuple[float, float]] = {}
    try:
        for size in sizes:
            set_members(places, size)
            clear_caches()
            print(f"\nmeasuring at {size} members …", flush=True)
            for url in urls():
                results.setdefault(url, {})[size] = measure(client, url)
            if ARGS.rps_seconds > 0 and not ARGS.only:
                floor = requests_per_second(client, "/language/nb/?next=/", ARGS.rps_seconds / 2)
                twin = requests_per_second(client, "/compare.json?series=ec-ict-ict-1c", ARGS.rps_seconds)
                rps[size] = (twin, floor)
    finally:
        set_members(places, len(places))
    print(f"\n{engine}: uncached page times (ms: first / best of 3), SQL queries and size (KB)")
    header = "".join(f"{f'{s} members':>32}" for s in sizes)
    print(f"{'URL':<46}{header}")
    for url, by_size in results.items():
        cells = "".join(
            f"{first:>9.0f} /{best:>6.0f} {queries:>5}q {size / 1024:>7.0f}K"
            for first, best, queries, size in by_size.values()
        )
        print(f"{url[:45]:<46}{cells}")
    worst = max(
        ((v[1], u) for u, by in results.items() for s, v in by.items() if s == sizes[-1]), default=None
    )
    biggest = max(
        (
            (v[3], u)
            for u, by in results.items()
            for s, v in by.items()
            if s == sizes[-1] and ".json" not in u and ".csv" not in u and ".zip" not in u
        ),
        default=None,
    )
    if worst and biggest:
        print(
            f"\nat {sizes[-1]} members: slowest {worst[1]} {worst[0]:.0f} ms (goal < 150 ms); "
            f"largest HTML {biggest[1]} {biggest[0] / 1024:.0f} KB (goal < 1024 KB)"
        )
    for size, (twin, floor) in rps.items():
        print(
            f"compare.json uncached, 1 worker (in-process, sequential) at {size} members: {twin:.0f} req/s "
            f"(floor: a redirect through the same middleware {floor:.0f} req/s, {twin / floor:.2f}×)"
        )
    if ARGS.json:
        write_json(Path(ARGS.json), engine, sizes, results, rps)
    return 0


def write_json(
    path: Path,
    engine: str,
    sizes: list[int],
    results: dict[str, dict[int, tuple[float, float, int, int]]],
    rps: dict[int, tuple[float, float]],
) -> None:
    """The figures for bench/norway_all.py: per URL and size the first and best ms, queries, bytes."""
    figures = {
        "engine": engine,
        "observations": Observation.objects.count(),
        "sizes": sizes,
        "pages": {
            url: {
                str(size): {"first_ms": first, "best_ms": best, "queries": queries, "bytes": size_}
                for size, (first, best, queries, size_) in by_size.items()
            }
            for url, by_size in results.items()
        },
        "in_process_rps": {
            str(size): {"compare_json": twin, "floor": floor} for size, (twin, floor) in rps.items()
        },
    }
    path.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    raise SystemExit(main())
