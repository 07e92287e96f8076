"""Published values for the open-data formats (berekraft.opendata): one KPI, one member, or the
whole network, as plain rows. The one read path for the downloads and the API's open formats.
3 queries, whatever the size of the slice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from berekraft.observations.models import Observation
from berekraft.opendata.datapackage import CHUNK, Resource
from berekraft.opendata.rows import PlaceMeta, Published, SeriesMeta, Value
from berekraft.web.selectors.common import Catalogue, Member, SeriesInfo, latest_score_run
from berekraft.web.tables import DEMO_NOTE, LICENCE, Column

FIELDS = (
    "place_id",
    "series_id",
    "year",
    "published_value",
    "published_quality",
    "published_source",
    "origin",
    "published_data_origin",
)


def _series_meta(s: SeriesInfo, language: str) -> SeriesMeta:
    ind = s.indicator
    definition = str(getattr(ind, f"definition_{language}", "") or ind.definition_en)
    return SeriesMeta(
        code=s.code,
        indicator=ind.code,
        key=s.code.partition("/")[2],
        name=s.name,
        indicator_name=s.indicator_name,
        unit=s.unit,
        direction=s.direction,
        dimension=s.dimension,
        category=s.category,
        goals=s.goals,
        definition=definition,
    )


def _published_rows(
    members: list[Member], series: list[SeriesInfo]
) -> QuerySet[Observation, tuple[Any, ...]]:
    """The published values of ``members`` and ``series`` as FIELDS, by place, series, year."""
    return (
        Observation.objects.filter(
            place_id__in=[m.place.pk for m in members],
            series_id__in=[s.id for s in series],
            published_value__isnull=False,
        )
        .order_by("place_id", "series_id", "year")
        .values_list(*FIELDS)
    )


def published(
    *,
    catalogue: Catalogue,
    members: list[Member],
    title: str,
    series: list[SeriesInfo] | None = None,
    site: str = "",
    run: tuple[Any, ...] | None = None,
) -> Published:
    """The published values of ``members`` (all series, or ``series``), by place, series, year.
    ``run``: the latest score run (id, finished), when the caller has already asked for it."""
    chosen = catalogue.series if series is None else series
    by_place = {m.place.pk: m for m in members}
    by_series = {s.id: s for s in chosen}
    rows = _published_rows(members, chosen)
    values = [
        Value(
            place=by_place[p].code,
            series=by_series[s].code,
            year=y,
            value=v,
            quality=q,
            source=src,
            demo=origin == Observation.Origin.DEMO,
            data_origin=data_origin,
        )
        for p, s, y, v, q, src, origin, data_origin in rows
        if v is not None
    ]
    demo = any(v.demo for v in values)
    run = run or latest_score_run()
    return Published(
        title=title,
        series=[_series_meta(s, catalogue.language) for s in chosen],
        places=[PlaceMeta(code=m.code, name=m.name, kind=m.kind) for m in members],
        values=values,
        demo=demo,
        licence_url=settings.DATA_LICENCE,
        licence_note=LICENCE,
        updated=run[1] if run else None,
        site=site,
        notes=[DEMO_NOTE] if demo else [],
    )


VALUE_COLUMNS = ("place", "series", "year", "value", "quality", "source")


def values_resource(*, catalogue: Catalogue, members: list[Member]) -> Resource:
    """The published values of ``members`` as the download-all zip's tidy ``values.csv``, read as
    the file is written: a million of them at 357 members. 1 query."""
    places = {m.place.pk: m.code for m in members}
    series = {s.id: s.code for s in catalogue.series}
    rows = _published_rows(members, catalogue.series).iterator(chunk_size=CHUNK)
    return Resource(
        "values",
        _("Published values"),
        [Column(k, k) for k in VALUE_COLUMNS],
        (
            (places[p], series[s], y, v, q, src)
            for p, s, y, v, q, src, _origin, _data_origin in rows
            if v is not None
        ),
    )
