"""Benchmark: the project register at Norway's size, on a fresh SQLite (or BEREKRAFT_DATABASE_URL).

20,000 published projects across 400 places, each with goals, SDG targets, 1–3 KPI links and 1–3
partners (3,000 organisations), and 6,000 citizen-involvement records. Measured in-process through
Django's test client (URL → view → selectors → template), the rendered-page cache cleared before
each request (the per-score-run constants stay cached, as on a running site), best of N:

- the filtered list ``/projects/?goal=11&year=2022&status=ongoing`` and ``/projects/?kpi=…``;
- a full-text search ``/projects/?q=…`` (a word in 1 % of the descriptions);
- the peer: ``/goals/``, an existing page of the same site, for the ratio;
- the member profile's query count with 0 and with 20,000 projects (it must not grow).

Goal (issue 8): the filtered list and the search under 50 ms each, on SQLite and PostgreSQL.
Run: ``.venv/bin/python bench/projects.py [--projects 20000] [--repeat 7]``; for PostgreSQL give an
empty database: ``BEREKRAFT_DATABASE_URL=postgres://…/bench .venv/bin/python bench/projects.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="berekraft-bench-")
os.environ.setdefault("BEREKRAFT_HOME", HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from berekraft.action.models import (  # noqa: E402
    Involvement,
    Organisation,
    Partnership,
    Project,
    ProjectSeries,
)
from berekraft.catalogue.models import Goal, SdgTarget, Series  # noqa: E402
from berekraft.places.models import Place  # noqa: E402
from berekraft.web.selectors.common import series_slug  # noqa: E402

WORDS = [
    "kommunen",
    "bygger",
    "nye",
    "sykkelveier",
    "ladestasjoner",
    "skolen",
    "barnehage",
    "eldre",
    "omsorg",
    "energi",
    "klima",
    "utslipp",
    "avfall",
    "gjenvinning",
    "vann",
    "avløp",
    "fjord",
    "luft",
    "kvalitet",
    "trafikk",
    "buss",
    "tog",
    "grønn",
    "mobilitet",
    "innbyggere",
    "medvirkning",
    "frivillige",
    "næringsliv",
    "forskning",
    "helse",
    "idrett",
    "kultur",
    "bibliotek",
    "digital",
    "tjenester",
]
RARE = "varmepumper"  # in 1 % of the descriptions


def build(projects: int, rng: random.Random) -> None:
    """The register: published projects over 400 places with goals, targets, KPI links, partners
    and involvement, written in bulk (the search triggers run for every row)."""
    places = list(Place.objects.filter(kind="municipality").order_by("code")[:399])
    places.append(Place.objects.get(code="5001"))
    goals = list(Goal.objects.all())
    targets = list(SdgTarget.objects.all())
    series = list(Series.objects.all())
    now = timezone.now()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"{rng.choice(WORDS).title()} {i} AS",
            kind=rng.choice(Organisation.Kind.values),
            published_at=now,
        )
        for i in range(3000)
    )
    made: list[Project] = []
    for i in range(projects):
        start = date(rng.randint(2015, 2025), rng.randint(1, 12), 1)
        end = date(start.year + rng.randint(0, 4), 12, 31) if rng.random() < 0.7 else None
        words = rng.choices(WORDS, k=60) + ([RARE] if i % 100 == 0 else [])
        made.append(
            Project(
                member=places[i % len(places)],
                title=" ".join(rng.choices(WORDS, k=4)).capitalize(),
                summary=" ".join(rng.choices(WORDS, k=15)),
                description=" ".join(words),
                status=rng.choice(Project.Status.values),
                progress=rng.randint(0, 100),
                start_date=start,
                end_date=end,
                budget_nok=rng.randint(100_000, 50_000_000),
                published_at=now,
            )
        )
    made = Project.objects.bulk_create(made, batch_size=2000)
    goal_links, target_links, kpis, partners = [], [], [], []
    for p in made:
        for g in rng.sample(goals, rng.randint(1, 3)):
            goal_links.append(Project.goals.through(project_id=p.pk, goal_id=g.pk))
        for t in rng.sample(targets, rng.randint(0, 2)):
            target_links.append(Project.sdg_targets.through(project_id=p.pk, sdgtarget_id=t.pk))
        for s in rng.sample(series, rng.randint(1, 3)):
            kpis.append(
                ProjectSeries(project=p, series=s, expected=rng.choice(ProjectSeries.Expected.values))
            )
        for o in rng.sample(orgs, rng.randint(1, 3)):
            partners.append(Partnership(project=p, organisation=o, role=rng.choice(Partnership.Role.values)))
    Project.goals.through.objects.bulk_create(goal_links, batch_size=5000)
    Project.sdg_targets.through.objects.bulk_create(target_links, batch_size=5000)
    ProjectSeries.objects.bulk_create(kpis, batch_size=5000)
    Partnership.objects.bulk_create(partners, batch_size=5000)
    Involvement.objects.bulk_create(
        (
            Involvement(
                member=p.member,
                project=p,
                title=f"Medvirkning {p.pk}",
                method=rng.choice(Involvement.Method.values),
                start_date=p.start_date or date(2020, 1, 1),
                participants=rng.randint(5, 500),
                published_at=now,
            )
            for p in rng.sample(made, min(len(made), 6000))
        ),
        batch_size=2000,
    )


def best(client: Client, url: str, repeat: int) -> float:
    """The fastest of ``repeat`` requests, in milliseconds (after one warm-up request)."""
    assert client.get(url, HTTP_HOST="localhost").status_code == 200, url
    times = []
    for _ in range(repeat):
        caches["pages"].clear()
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return min(times)


def profile_queries(client: Client) -> int:
    """The member profile's SQL queries, every cache emptied first (the same start both times)."""
    for cache in caches.all(initialized_only=True):
        cache.clear()
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/members/5001/", HTTP_HOST="localhost").status_code == 200
    return len(seen.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": staticfiles}  # no collectstatic needed
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Project.objects.exists():
        sys.exit("the database already holds projects: give an empty one")
    print(f"database: {connection.vendor}")
    client = Client()
    before = profile_queries(client)
    start = time.perf_counter()
    with transaction.atomic():
        build(args.projects, random.Random(8))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {Project.objects.count():,} projects, {Partnership.objects.count():,} partnerships, "
        f"{ProjectSeries.objects.count():,} KPI links, {Involvement.objects.count():,} involvement "
        f"in {time.perf_counter() - start:.1f} s"
    )
    after = profile_queries(client)
    kpi = series_slug(ProjectSeries.objects.select_related("series").first().series.code)  # type: ignore[union-attr]
    pages = {
        "peer: /goals/": "/goals/",
        "filtered list": "/projects/?goal=11&year=2022&status=ongoing",
        "filtered list, KPI + partner kind": f"/projects/?kpi={kpi}&partner_kind=academia",
        "filtered list, last page": "/projects/?goal=3&page=9999",
        "full-text search": f"/projects/?q={RARE}",
        "full-text search + filter": "/projects/?q=sykkelveier+klima&goal=11",
        "list .csv twin": "/projects.csv?goal=11",
    }
    peer = 0.0
    for label, url in pages.items():
        ms = best(client, url, args.repeat)
        peer = peer or ms
        print(f"{label:36} {ms:8.1f} ms   ×{ms / peer:4.1f} peer   {url}")
    print(f"member profile queries: {before} with 0 projects, {after} with {args.projects:,}")


if __name__ == "__main__":
    main()
