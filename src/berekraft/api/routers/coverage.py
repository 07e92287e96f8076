"""Coverage, for verifiers and admins: members × series by status for one year (as /coverage/)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from berekraft.accounts.selectors import can_verify
from berekraft.api.auth import Token, user_of
from berekraft.api.errors import ERROR_STATUSES, Errors
from berekraft.api.schemas import CoverageOut, CoverageRowOut
from berekraft.errors import ForbiddenError
from berekraft.web.selectors import common
from berekraft.web.selectors.coverage import coverage as coverage_of
from berekraft.web.views.base import language

router = Router(auth=Token(), tags=["coverage"])
ERRORS = {s: Errors for s in ERROR_STATUSES}


@router.get("/coverage", response={200: CoverageOut, **ERRORS})
def coverage(request: HttpRequest, year: int | None = None) -> CoverageOut:
    """Each member's status on each series in ``year`` (default: the latest with data)."""
    if not can_verify(user_of(request)):
        raise ForbiddenError("coverage is for verifiers and network admins")
    members = common.members(network=common.network())
    data = coverage_of(catalogue=common.catalogue(language=language()), members=members, year=year)
    return CoverageOut(
        year=data.year,
        years=data.years,
        totals=data.totals,
        rows=[
            CoverageRowOut(
                member=r.member.code,
                name=r.member.name,
                totals=r.totals,
                cells={s.code: c for s, c in zip(data.series, r.cells, strict=True)},
            )
            for r in data.rows
        ],
    )
