"""Report downloads: a member's snapshot and the network report as PDF, made on request in the
reader's language and kept in Django's cache until the next score run or register change
(reports/downloads.py, which the API's downloads share, so both hand out the same bytes)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from berekraft.errors import NotFoundError
from berekraft.reports import downloads
from berekraft.web.params import year_param
from berekraft.web.views.base import language


def _download(request: HttpRequest, make: Callable[[int, str], downloads.Report]) -> HttpResponse:
    year = year_param(request)
    if year is None:
        raise BadRequest(_("year is missing: add ?year=YYYY"))
    try:
        report = make(year, language())
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


def member_report(request: HttpRequest, code: str) -> HttpResponse:
    return _download(request, lambda year, lang: downloads.snapshot(code=code, year=year, lang=lang))


def network_report(request: HttpRequest) -> HttpResponse:
    return _download(request, lambda year, lang: downloads.network(year=year, lang=lang))
