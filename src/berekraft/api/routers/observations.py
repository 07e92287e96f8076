"""Observations: published values for everyone; working values (status, version) for the callers
who may see them. Filters as on the site: member, indicator or series, goal, year range, status,
quality."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from berekraft.accounts.selectors import can_verify, editable_places
from berekraft.api.auth import Public, caller
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors
from berekraft.api.lookups import series_of, year_range
from berekraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, paginate, paginate_keyset
from berekraft.api.schemas import ObservationOut
from berekraft.observations.models import Observation
from berekraft.observations.selectors import (
    KEY_TYPES,
    ORDER,
    PUBLISHED_FIELDS,
    ObservationFilter,
    observations_list,
    published_key,
    published_page,
)

router = Router(auth=Public(), tags=["observations"])
ERRORS = {s: Errors for s in ERROR_STATUSES}


class ObservationQuery(Schema):
    member: list[str] | None = None  # place codes; repeat for several
    indicator: str | None = None  # code or slug
    series: str | None = None  # code or slug
    goal: int | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    status: Observation.Status | None = None
    quality: Observation.Quality | None = None
    sort: Literal["member", "series", "year"] = "member"
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


def observation_out(row: dict[str, Any], working: bool) -> ObservationOut:
    published = row["published_value"] is not None
    return ObservationOut(
        id=row["pk"],
        member=row["place__code"],
        series=row["series__code"],
        indicator=row["series__indicator__code"],
        year=row["year"],
        value=row["published_value"],
        quality=row["published_quality"] or "",
        source=row["published_source"] or "",
        data_origin=row["published_data_origin"] or "",
        demonstration_data=published and row["published_origin"] == Observation.Origin.DEMO,
        status=row["status"] if working else Observation.Status.VERIFIED,
        working_value=row["value"] if working else None,
        version=row["version"] if working else None,
        note=row["note"] if working else None,
        comment=row["comment"] if working else None,
    )


# A listed row's columns for a reader who may see its working version: the published ones first
# (the public's, ``published_page``), in the order ``_item`` unpacks them.
WORKING = (*PUBLISHED_FIELDS, "place_id", "value", "status", "version", "note", "comment")
DEMO = Observation.Origin.DEMO.value
VERIFIED = Observation.Status.VERIFIED.value


def _item(row: tuple[Any, ...], working: bool) -> dict[str, Any]:
    """One listed row of ``WORKING`` as ObservationOut's fields, in its order: what
    ``observation_out`` makes, without a model (the columns are of the schema's types already)."""
    item = _published_item(row[:10])
    if working:
        item |= {
            "status": row[12],
            "working_value": row[11],
            "version": row[13],
            "note": row[14],
            "comment": row[15],
        }
    return item


def _published_item(row: tuple[Any, ...]) -> dict[str, Any]:
    """One row of ``PUBLISHED_FIELDS`` as ObservationOut's fields, as the public sees them."""
    pk, member, series, indicator, year, value, quality, source, data_origin, origin = row
    return {
        "id": pk,
        "member": member,
        "series": series,
        "indicator": indicator,
        "year": year,
        "value": value,
        "quality": quality or "",
        "source": source or "",
        "data_origin": data_origin or "",
        "demonstration_data": value is not None and origin == DEMO,
        "status": VERIFIED,
        "working_value": None,
        "version": None,
        "note": None,
        "comment": None,
    }


@router.get("/observations", response={200: Page[ObservationOut], **ERRORS})
def observations(request: HttpRequest, q: Query[ObservationQuery]) -> HttpResponse:
    """Values by member, series and year. ``value`` is the published value; with a token of an
    editor (for its members), a verifier or an admin, the working value, status and version come
    too, and drafts, submitted and returned values are listed."""
    if not 1 <= q.limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be 1 to {MAX_LIMIT}", where="limit")
    series_ids = series_of(series=q.series, indicator=q.indicator, goal=q.goal)
    year_from, year_to = year_range(q.year, q.year_from, q.year_to)
    who = caller(request)
    everything = who.is_authenticated and can_verify(who)
    working = set() if everything or not who.is_authenticated else {p.pk for p in editable_places(who)}
    where = ObservationFilter(
        places=q.member,
        series_ids=series_ids,
        year_from=year_from,
        year_to=year_to,
        status=q.status,
        quality=q.quality,
    )
    if everything or working:
        rows = observations_list(where=where, working=working, everything=everything, sort=q.sort)
        found, following = paginate(rows.values_list(*WORKING), limit=q.limit, cursor=q.cursor)
        items = [_item(r, everything or r[10] in working) for r in found]
    else:
        found, following = paginate_keyset(
            lambda offset, after, count: published_page(
                where=where, sort=q.sort, offset=offset, after=after, count=count
            ),
            lambda row: published_key(row, q.sort),
            key_types=[KEY_TYPES[k] for k in ORDER[q.sort]],
            limit=q.limit,
            cursor=q.cursor,
        )
        items = [_published_item(r) for r in found]
    # The biggest page of the API: rows of typed columns need no pydantic model each (which cost
    # more than the query), and orjson writes the same bytes as pydantic would for
    # Page[ObservationOut] (tests/api/test_observation_json.py), in a quarter of the time.
    body = orjson.dumps({"items": items, "next": following})
    return HttpResponse(body, content_type="application/json; charset=utf-8")
