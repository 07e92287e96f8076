"""Observations: published values for everyone; working values (status, version) for the callers
who may see them. Filters as on the site: member, indicator or series, goal, year range, status,
quality."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from berekraft.accounts.selectors import can_verify, editable_places
from berekraft.api.auth import Public, caller
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors
from berekraft.api.lookups import series_of, year_range
from berekraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, paginate
from berekraft.api.schemas import ObservationOut
from berekraft.observations.models import Observation
from berekraft.observations.selectors import ObservationFilter, observations_list
from berekraft.web.selectors import common
from berekraft.web.views.base import language

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


@router.get("/observations", response={200: Page[ObservationOut], **ERRORS})
def observations(request: HttpRequest, q: Query[ObservationQuery]) -> Page[ObservationOut]:
    """Values by member, series and year. ``value`` is the published value; with a token of an
    editor (for its members), a verifier or an admin, the working value, status and version come
    too, and drafts, submitted and returned values are listed."""
    if not 1 <= q.limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be 1 to {MAX_LIMIT}", where="limit")
    cat = common.catalogue(language=language())
    series_ids = series_of(cat, series=q.series, indicator=q.indicator, goal=q.goal)
    year_from, year_to = year_range(q.year, q.year_from, q.year_to)
    who = caller(request)
    everything = who.is_authenticated and can_verify(who)
    working = set() if everything or not who.is_authenticated else {p.pk for p in editable_places(who)}
    rows = observations_list(
        where=ObservationFilter(
            places=q.member,
            series_ids=series_ids,
            year_from=year_from,
            year_to=year_to,
            status=q.status,
            quality=q.quality,
        ),
        working=working,
        everything=everything,
        sort=q.sort,
    )
    items, following = paginate(rows, limit=q.limit, cursor=q.cursor)
    return Page[ObservationOut](
        items=[observation_out(r, everything or r["place_id"] in working) for r in items], next=following
    )
