"""The public's listing in its own SQL (``published_page``) lists exactly what the ORM's listing
(``observations_list``) lists for a reader who may see no working value: the same rows, columns
and order, for every filter, sort and page."""

from __future__ import annotations

from typing import Any

import pytest

from berekraft.catalogue.models import Series
from berekraft.observations.models import Observation
from berekraft.observations.selectors import (
    PUBLISHED_FIELDS,
    ObservationFilter,
    observations_list,
    published_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied() -> list[int]:
    """The demo's values, with some published as measured, some never published (a draft), some
    with a published value beside a newer draft, and one published value from a file (not demo);
    returns the series ids of one KPI."""
    ids = list(Series.objects.filter(indicator__code="EN: EN: AQ: 1C").values_list("pk", flat=True))
    rows = Observation.objects.filter(series_id__in=ids).order_by("pk")
    pks = list(rows.values_list("pk", flat=True))
    Observation.objects.filter(pk__in=pks[::7]).update(published_quality="measured")
    Observation.objects.filter(pk__in=pks[1::11]).update(published_value=None, status="draft")
    Observation.objects.filter(pk__in=pks[2::13]).update(status="submitted", value=1.5)
    Observation.objects.filter(pk__in=pks[3:4]).update(published_origin="file", published_source="")
    return ids


def _orm(where: ObservationFilter, sort: str, offset: int, count: int) -> list[tuple[Any, ...]]:
    rows = observations_list(where=where, working=set(), sort=sort)[offset : offset + count]
    return [tuple(row[f] for f in PUBLISHED_FIELDS) for row in rows]


@pytest.mark.parametrize("sort", ["member", "series", "year"])
@pytest.mark.parametrize(
    "where",
    [
        {},
        {"places": ["5001", "1506", "0000"]},
        {"places": []},
        {"year_from": 2018, "year_to": 2021},
        {"year_from": 2024},
        {"status": "verified", "quality": "measured"},
        {"status": "draft"},
        {"quality": "unknown", "places": ["1103"]},
    ],
    ids=repr,
)
def test_the_public_listing_is_the_orm_listing_for_a_reader_without_working_values(
    varied: list[int], where: dict[str, Any], sort: str
) -> None:
    chosen = ObservationFilter(series_ids=varied, **where)
    whole = _orm(chosen, sort, 0, 10**6)
    for offset, count in ((0, 10**6), (0, 1), (5, 40), (len(whole) - 3, 10)):
        offset = max(offset, 0)
        assert published_page(where=chosen, sort=sort, offset=offset, count=count) == _orm(
            chosen, sort, offset, count
        )
    if where.get("status") == "draft" or where.get("places") == []:
        assert whole == []
    else:
        assert whole, "the case lists something"


def test_without_a_series_filter_every_published_value_is_listed_once() -> None:
    rows = published_page(where=ObservationFilter(places=["5001"]), sort="year", count=10**6)
    published = Observation.objects.filter(place__code="5001", published_value__isnull=False)
    assert sorted(r[0] for r in rows) == sorted(published.values_list("pk", flat=True))
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)
