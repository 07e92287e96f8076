"""Places with their reform links, and networks with their members."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from berekraft.api.auth import Public
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors
from berekraft.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, paginate
from berekraft.api.schemas import MemberOut, NetworkDetailOut, NetworkOut, PlaceChangeOut, PlaceOut
from berekraft.places.models import Place
from berekraft.places.selectors import PlaceEntry, networks, places_with_changes
from berekraft.web.selectors import common

router = Router(auth=Public(), tags=["places"])
ERRORS = {s: Errors for s in ERROR_STATUSES}


class PlaceQuery(Schema):
    kind: Place.Kind | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


def _place(e: PlaceEntry) -> PlaceOut:
    p = e.place
    return PlaceOut(
        code=p.code,
        kind=p.kind,
        name=p.name,
        name_nb=p.name_nb,
        parent=p.parent.code if p.parent else None,
        population=p.population,
        valid_from=p.valid_from,
        valid_to=p.valid_to,
        changes=[
            PlaceChangeOut(
                date=c.date,
                kind=c.kind,
                from_place=c.from_place.code,
                to_place=c.to_place.code,
                weight=c.weight,
                note=c.note,
            )
            for c in e.changes
        ],
    )


@router.get("/places", response={200: Page[PlaceOut], **ERRORS})
def places(request: HttpRequest, q: Query[PlaceQuery]) -> Page[PlaceOut]:
    """Norway's places (country, counties, municipalities, also those a reform ended) by code, each
    with the reform links (merge, split, renumber, with weights) that start or end at it."""
    if not 1 <= q.limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be 1 to {MAX_LIMIT}", where="limit")
    entries = places_with_changes(kind=q.kind)
    items, following = paginate(entries, limit=q.limit, cursor=q.cursor)
    return Page[PlaceOut](items=[_place(e) for e in items], next=following)


@router.get("/places/{code}", response={200: PlaceOut, **ERRORS})
def place(request: HttpRequest, code: str) -> PlaceOut:
    found = places_with_changes(codes=[code])
    if not found:
        raise ApiError(404, f"no place {code!r}", where="code", fix="See /api/v1/places.")
    return _place(found[0])


@router.get("/networks", response={200: list[NetworkOut], **ERRORS})
def network_list(request: HttpRequest) -> list[NetworkOut]:
    return [NetworkOut(code=n.code, name=n.name) for n in networks()]


@router.get("/networks/{code}", response={200: NetworkDetailOut, **ERRORS})
def network(request: HttpRequest, code: str) -> NetworkDetailOut:
    """A network and its members (also former ones, with the date they left), municipalities
    first, by name, as the site lists them."""
    found = next((n for n in networks() if n.code == code), None)
    if found is None:
        raise ApiError(404, f"no network {code!r}", where="code", fix="See /api/v1/networks.")
    members = common.members(network=found)
    return NetworkDetailOut(
        code=found.code,
        name=found.name,
        members=[
            MemberOut(code=m.code, name=m.name, kind=m.kind, joined=m.joined, left=m.left) for m in members
        ],
    )
