"""Reads of observations for the API (and any page that lists values): published values for
everyone, and the working value (status, version, comment) where the reader may see it.

One query path: the public sees exactly the published version (``PUBLISHED_FIELDS``) that the
pages and the scores use; an editor sees the working values of the members it writes, a verifier
or an admin those of every member. ``published_page`` is what ``observations_list`` gives a reader
who may see no working value, a page at a time, in SQL of its own (see there why).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from berekraft.catalogue.models import Indicator, Series
from berekraft.observations.models import Observation
from berekraft.places.models import Place

# The order every listing is stable in: member, series, year, then the row's id.
ORDER = {
    "member": ("place__code", "series__order", "year", "pk"),
    "series": ("series__order", "place__code", "year", "pk"),
    "year": ("year", "place__code", "series__order", "pk"),
}
FIELDS = (
    "pk",
    "place__code",
    "series__code",
    "series__indicator__code",
    "year",
    "published_value",
    "published_quality",
    "published_source",
    "published_data_origin",
    "published_origin",
    "value",
    "status",
    "quality",
    "source",
    "note",
    "comment",
    "version",
    "place_id",
)
# What the public reads of a row, in this order (``published_list``).
PUBLISHED_FIELDS = (
    "pk",
    "place__code",
    "series__code",
    "series__indicator__code",
    "year",
    "published_value",
    "published_quality",
    "published_source",
    "published_data_origin",
    "published_origin",
)


@dataclass(frozen=True)
class ObservationFilter:
    """What a listing is narrowed to; None is "any"."""

    places: Collection[str] | None = None  # place codes
    series_ids: Collection[int] | None = None
    year_from: int | None = None
    year_to: int | None = None
    status: str | None = None
    quality: str | None = None


def _narrowed(where: ObservationFilter) -> QuerySet[Observation]:
    """Observations of the filter's places, series and years."""
    rows = Observation.objects.all()
    if where.places is not None:
        rows = rows.filter(place__code__in=list(where.places))
    if where.series_ids is not None:
        rows = rows.filter(series_id__in=list(where.series_ids))
    if where.year_from is not None:
        rows = rows.filter(year__gte=where.year_from)
    if where.year_to is not None:
        rows = rows.filter(year__lte=where.year_to)
    return rows


def observations_list(
    *,
    where: ObservationFilter,
    working: Collection[int] | None,
    everything: bool = False,
    sort: str = "member",
) -> QuerySet[Observation, dict[str, object]]:
    """Observations as dicts (``FIELDS``), in a stable order.

    ``working`` is the ids of the places whose working values the reader may see (``everything``:
    all of them); for other places only published values are listed, and a ``status`` or
    ``quality`` filter applies to the published version ("verified", its published quality).
    """
    rows = _narrowed(where)
    nothing = Q(pk__isnull=True)
    seen = Q(pk__isnull=False) if everything else Q(place_id__in=list(working)) if working else nothing
    public = ~seen & Q(published_value__isnull=False)
    if where.status is not None:
        rows = rows.filter(
            (seen & Q(status=where.status)) | (public if where.status == "verified" else nothing)
        )
    else:
        rows = rows.filter(seen | public)
    if where.quality is not None:
        rows = rows.filter((seen & Q(quality=where.quality)) | (public & Q(published_quality=where.quality)))
    found: QuerySet[Observation, dict[str, object]] = rows.order_by(*ORDER[sort]).values(*FIELDS)
    return found


# The public listing in SQL (``published_page``): the tables and the columns of PUBLISHED_FIELDS.
_TABLES = (
    f"{Observation._meta.db_table} o"
    f" JOIN {Place._meta.db_table} p ON p.id = o.place_id"
    f" JOIN {Series._meta.db_table} s ON s.id = o.series_id"
    f" JOIN {Indicator._meta.db_table} i ON i.id = s.indicator_id"
)
_COLUMNS = {
    "pk": "o.id",
    "place__code": "p.code",
    "series__code": "s.code",
    "series__indicator__code": "i.code",
    "year": "o.year",
    "published_value": "o.published_value",
    "published_quality": "o.published_quality",
    "published_source": "o.published_source",
    "published_data_origin": "o.published_data_origin",
    "published_origin": "o.published_origin",
}
_SELECT = f"SELECT {', '.join(_COLUMNS[f] for f in PUBLISHED_FIELDS)} FROM {_TABLES}"
_SQL_KEY = {"place__code": "p.code", "series__order": 's."order"', "year": "o.year", "pk": "o.id"}
_SQL_ORDER = {sort: ", ".join(_SQL_KEY[k] for k in keys) for sort, keys in ORDER.items()}
# The Python type of each part of a sort key (``published_page``'s ``after``), for checking a key
# that came from outside (an API cursor) before it reaches the SQL.
KEY_TYPES: dict[str, type] = {"place__code": str, "series__order": int, "year": int, "pk": int}


def published_page(
    *,
    where: ObservationFilter,
    sort: str = "member",
    offset: int = 0,
    count: int,
    after: Sequence[Any] | None = None,
) -> list[tuple[Any, ...]]:
    """``count`` published values from ``offset`` on (or, given ``after``, the sort key of a row
    as ``published_key`` gives it, from the row after that one on), in the stable order, as
    tuples of ``PUBLISHED_FIELDS``: the rows ``observations_list`` lists for a reader who may see
    no working value (a published value is "verified", with its published quality).

    ``after`` is what makes a deep page cheap: an OFFSET of 45,000 has the database sort and
    skip 45,000 rows (236 ms at Norway size, against 45 ms for the first page), a key condition
    only drops them; and a value published between two pages neither repeats nor skips a row.

    One SQL statement, written out: the public's listing is the API's most asked read, and the ORM
    spent more building and compiling this query and turning its rows into values than SQLite
    spent running it. tests/observations/test_published_page.py holds it to ``observations_list``."""
    if where.status is not None and where.status != Observation.Status.VERIFIED:
        return []
    conditions = ["o.published_value IS NOT NULL"]
    params: list[Any] = []
    for column, chosen in (("p.code", where.places), ("o.series_id", where.series_ids)):
        if chosen is not None:
            values = list(chosen)
            if not values:
                return []
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params += values
    for condition, value in (
        ("o.year >= %s", where.year_from),
        ("o.year <= %s", where.year_to),
        ("o.published_quality = %s", where.quality),
    ):
        if value is not None:
            conditions.append(condition)
            params.append(value if isinstance(value, int) else str(value))
    if after is not None:
        columns = [_SQL_KEY[k] for k in ORDER[sort]]
        conditions.append(f"({', '.join(columns)}) > ({', '.join(['%s'] * len(columns))})")
        params += list(after)
    sql = f"{_SELECT} WHERE {' AND '.join(conditions)} ORDER BY {_SQL_ORDER[sort]} LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, count, offset])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def published_key(row: Sequence[Any], sort: str) -> list[Any]:
    """The sort key of a ``published_page`` row, for its ``after``: the row's values of
    ``ORDER[sort]`` (the series' order, which the row does not carry, read by its code)."""
    values: dict[str, Any] = {"pk": row[0], "place__code": row[1], "year": row[4]}
    if "series__order" in ORDER[sort]:
        values["series__order"] = Series.objects.values_list("order", flat=True).get(code=row[2])
    return [values[k] for k in ORDER[sort]]
