"""A page that shows a member's latest values costs the same whether the member has 3 or 30 years
of stored scores (issue 9): the same SQL queries, and no more rows made into objects.

Trondheim (5001) is cut to its last 3 years of scores, the pages are requested, then 27 older years
are added (copies of its earliest year, years before it) and the pages requested again. Neither the
number of queries nor the number of model instances built may change. (Reading every year and
keeping the newest in Python, as the pages once did, builds 10 times as many instances.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test import Client
from django.test.utils import CaptureQueriesContext

from berekraft.places.models import Place
from berekraft.scores.models import AggregateScore, SeriesScore

# Pages whose output is the latest value per series (or goal), not a history.
PAGES = [
    "/",
    "/index.json",
    "/embed/map/",
    "/members/5001/",
    "/members/5001.json",
    "/compare/members/?m=5001&m=1103",
    "/compare/members.json?m=5001&m=1103",
    "/goals/",
    "/goals.json",
    "/goals/11/",
    "/goals/11.json",
    "/embed/members/5001/wheel/",
]


@pytest.fixture
def en(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def instances() -> Iterator[list[int]]:
    """A counter of model instances built (every row the ORM turns into an object)."""
    counter = [0]

    def count(**kwargs: Any) -> None:
        counter[0] += 1

    post_init.connect(count, dispatch_uid="test-stored-years")
    yield counter
    post_init.disconnect(dispatch_uid="test-stored-years")


def _cost(client: Client, counter: list[int]) -> dict[str, tuple[int, int]]:
    result = {}
    for url in PAGES:
        counter[0] = 0
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = (len(queries.captured_queries), counter[0])
    return result


def _add_older_years(place: Place, first: int, count: int) -> None:
    for model in (SeriesScore, AggregateScore):
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        rows = list(model.objects.filter(place=place, year=first).values(*fields))  # type: ignore[attr-defined]
        copies = [model(**{**row, "year": first - back}) for back in range(1, count + 1) for row in rows]
        model.objects.bulk_create(copies)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pages_cost_the_same_for_3_and_30_stored_years(en: Client, instances: list[int]) -> None:
    place = Place.objects.get(code="5001")
    last = SeriesScore.objects.filter(place=place).order_by("-year").values_list("year", flat=True)[0]
    first = last - 2
    SeriesScore.objects.filter(place=place, year__lt=first).delete()
    AggregateScore.objects.filter(place=place, year__lt=first).delete()
    three = _cost(en, instances)
    _add_older_years(place, first, 27)
    assert SeriesScore.objects.filter(place=place).values("year").distinct().count() == 30
    thirty = _cost(en, instances)
    assert thirty == three
