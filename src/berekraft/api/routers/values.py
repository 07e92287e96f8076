"""Writes to values, through the workspace's own services (observations/workflow.py): enter or
change a draft (``If-Match`` with the value's version; a stale one is 409 and changes nothing),
submit a member's year, verify or return (verifiers and admins). Every write needs a token; the
services check the token's user's roles."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from ninja import Router

from berekraft.accounts.selectors import can_edit, can_verify
from berekraft.api.auth import Token, user_of
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors
from berekraft.api.lookups import series_of
from berekraft.api.routers.observations import observation_out
from berekraft.api.schemas import CountOut, ObservationOut, ReturnIn, ValueIn, VerifyIn
from berekraft.catalogue.models import Series
from berekraft.errors import ForbiddenError
from berekraft.observations.models import Observation
from berekraft.observations.selectors import FIELDS
from berekraft.observations.workflow import (
    observation_edit,
    observation_return,
    observations_submit,
    observations_verify,
)
from berekraft.places.models import Place
from berekraft.web.selectors import common
from berekraft.web.views.base import language

router = Router(auth=Token(), tags=["values"])
ERRORS = {s: Errors for s in ERROR_STATUSES}
VERSION = re.compile(r'\s*(?:W/)?"?(\d{1,9})"?\s*')


def _place(code: str) -> Place:
    place = Place.objects.filter(code=code).first()
    if place is None:
        raise ApiError(404, (f"no place {code!r}"), where="member")
    return place


def _series(code: str) -> Series:
    ids = series_of(common.catalogue(language=language()), series=code, indicator=None, goal=None)
    return Series.objects.get(pk=(ids or [0])[0])


def _working(observation_id: int) -> ObservationOut:
    row = Observation.objects.filter(pk=observation_id).values(*FIELDS).get()
    return observation_out(row, working=True)


def _with_etag(response: HttpResponse, version: int | None) -> HttpResponse:
    if version is not None:
        response["ETag"] = f'"{version}"'
    return response


@router.get("/values/{member}/{series}/{year}", response={200: ObservationOut, **ERRORS})
def value_read(
    request: HttpRequest, response: HttpResponse, member: str, series: str, year: int
) -> ObservationOut:
    """The working value of a member's series and year, with its version (also as ETag), for an
    editor of the member, a verifier or an admin."""
    user = user_of(request)
    place = _place(member)
    if not (can_edit(user, place) or can_verify(user)):
        raise ForbiddenError(f"you may not read the working values of {place.name_nb}")
    found = Observation.objects.filter(place=place, series=_series(series), year=year).first()
    if found is None:
        raise ApiError(
            404,
            (f"no value for {series} {year} yet"),
            where=request.path,
            fix="Send it with PUT and If-Match: 0.",
        )
    out = _working(found.pk)
    _with_etag(response, out.version)
    return out


@router.put("/values/{member}/{series}/{year}", response={200: ObservationOut, **ERRORS})
def value_write(
    request: HttpRequest, response: HttpResponse, member: str, series: str, year: int, payload: ValueIn
) -> ObservationOut:
    """Enter or change a value; it becomes a draft. ``If-Match`` carries the version you read
    (``0`` for a value not there yet): if it changed since, 409 and nothing is written."""
    user = user_of(request)
    header = request.headers.get("If-Match")
    if header is None:
        raise ApiError(
            428,
            "a change needs If-Match with the version of the value you read",
            where="If-Match",
            fix="GET the value and send its version (ETag), or 0 for a new value.",
        )
    matched = VERSION.fullmatch(header)
    if matched is None:
        raise ApiError(
            400, "If-Match is not a version number", where="If-Match", fix='Send e.g. If-Match: "3".'
        )
    observation = observation_edit(
        place=_place(member),
        series=_series(series),
        year=year,
        expected_version=int(matched.group(1)),
        user=user,
        **payload.dict(),
    )
    out = _working(observation.pk)
    _with_etag(response, out.version)
    return out


@router.post("/members/{member}/years/{year}/submit", response={200: CountOut, **ERRORS})
def submit(request: HttpRequest, member: str, year: int) -> CountOut:
    """Submit every draft or returned value of the member's year for verification."""
    return CountOut(count=observations_submit(place=_place(member), year=year, user=user_of(request)))


def _verify(request: HttpRequest, ids: list[int]) -> CountOut:
    user = user_of(request)
    if not can_verify(user):
        raise ForbiddenError("only a verifier or an admin may verify or return values")
    missing = sorted(set(ids) - set(Observation.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        raise ApiError(404, "no values {ids}".format(ids=", ".join(map(str, missing[:20]))), where="ids")
    return CountOut(count=observations_verify(ids=ids, user=user))


@router.post("/observations/{observation_id}/verify", response={200: CountOut, **ERRORS})
def verify(request: HttpRequest, observation_id: int) -> CountOut:
    """Verify a submitted value: it becomes the published value and the scores are recomputed."""
    return _verify(request, [observation_id])


@router.post("/observations/verify", response={200: CountOut, **ERRORS})
def verify_many(request: HttpRequest, payload: VerifyIn) -> CountOut:
    """Verify several submitted values at once (all or none); the scores are recomputed once."""
    if not payload.ids or len(payload.ids) > 10_000:
        raise ApiError(422, "send 1 to 10 000 ids", where="ids")
    return _verify(request, payload.ids)


@router.post("/observations/{observation_id}/return", response={200: ObservationOut, **ERRORS})
def return_value(request: HttpRequest, observation_id: int, payload: ReturnIn) -> ObservationOut:
    """Return a submitted value to its member with a comment that says what to check."""
    user = user_of(request)
    if not can_verify(user):
        raise ForbiddenError("only a verifier or an admin may verify or return values")
    if not Observation.objects.filter(pk=observation_id).exists():
        raise ApiError(404, (f"no value {observation_id}"), where="observation_id")
    observation = observation_return(observation_id=observation_id, user=user, comment=payload.comment)
    return _working(observation.pk)
