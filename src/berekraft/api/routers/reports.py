"""Report downloads: a member's city snapshot (PDF) or VLR draft (DOCX), and the network report
(PDF). The same bytes as the site's download buttons: both read reports/downloads.py, which makes
a report once and keeps it until the next score run or register change."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from berekraft.api.auth import Public
from berekraft.api.errors import ERROR_STATUSES, Errors
from berekraft.reports import downloads
from berekraft.web.views.base import language

router = Router(auth=Public(), tags=["reports"])
ERRORS = {s: Errors for s in ERROR_STATUSES}
Language = Literal["nb", "nn", "en"]


def _binary(*formats: str) -> dict[str, Any]:
    """The OpenAPI of a 200 that is a file, not JSON."""
    content = {
        downloads.CONTENT_TYPES[f]: {"schema": {"type": "string", "format": "binary"}} for f in formats
    }
    return {"responses": {200: {"description": "The report, as a download", "content": content}}}


def _file(report: downloads.Report) -> HttpResponse:
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


class SnapshotQuery(Schema):
    member: str = Field(..., pattern=r"^[0-9A-Za-z]{1,10}$", description="a member's place code, e.g. 5001")
    year: int = Field(..., ge=1900, le=2200, description="its latest published year up to this one")
    lang: Language | None = Field(None, description="nb, nn or en; by default Accept-Language's")
    format: Literal["pdf", "docx"] = Field("pdf", description="pdf: the city snapshot; docx: the VLR draft")


@router.get("/reports/snapshot", response={200: None, **ERRORS}, openapi_extra=_binary("pdf", "docx"))
def snapshot(request: HttpRequest, q: Query[SnapshotQuery]) -> HttpResponse:
    """A member's city snapshot (PDF), or its Voluntary Local Review draft to write in (DOCX),
    for a year: 404 for a member or year without published values."""
    lang = q.lang or language()
    if q.format == "docx":
        return _file(downloads.vlr(code=q.member, year=q.year, lang=lang))
    return _file(downloads.snapshot(code=q.member, year=q.year, lang=lang))


class NetworkQuery(Schema):
    year: int = Field(..., ge=1900, le=2200)
    lang: Language | None = Field(None, description="nb, nn or en; by default Accept-Language's")
    format: Literal["pdf"] = Field("pdf", description="the network report is a PDF")


@router.get("/reports/network", response={200: None, **ERRORS}, openapi_extra=_binary("pdf"))
def network(request: HttpRequest, q: Query[NetworkQuery]) -> HttpResponse:
    """The network report (PDF): all members side by side, coverage, best values, change since
    the year before and the members' projects per goal; 404 for a year without published values."""
    return _file(downloads.network(year=q.year, lang=q.lang or language()))
