"""Report downloads: a member's snapshot and the network report as PDF, made on request in the
reader's language and kept in Django's cache until the next score run (the key holds the latest
ScoreRun's id, so a new run makes every report new without clearing anything)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from berekraft.errors import NotFoundError
from berekraft.web import runs
from berekraft.web.params import year_param
from berekraft.web.selectors import common
from berekraft.web.views.base import language

# Reports of older score runs are never asked for again; the cache lets them go after this long.
KEEP_SECONDS = 7 * 24 * 3600


def report_key(kind: str, code: str, year: int, lang: str) -> str:
    # The latest score run and register change: a report shows scores and published projects.
    run = runs.latest()
    state = "-".join(str(i) for i in run[0]) if run else "0"
    return f"report:{state}:{kind}:{code}:{year}:{lang}"


def _pdf(
    request: HttpRequest, kind: str, code: str, make: Callable[[int, str, datetime], bytes]
) -> HttpResponse:
    year = year_param(request)
    if year is None:
        raise BadRequest(_("year is missing: add ?year=YYYY"))
    lang = language()
    key = report_key(kind, code, year, lang)
    content = cache.get(key)
    if content is None:
        try:
            content = make(year, lang, datetime.now(UTC).replace(microsecond=0))
        except NotFoundError as exc:
            raise Http404(str(exc)) from exc
        cache.set(key, content, KEEP_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="berekraft-{kind}-{code}-{year}-{lang}.pdf"'
    return response


def member_report(request: HttpRequest, code: str) -> HttpResponse:
    from berekraft.reports.snapshot import snapshot_pdf

    return _pdf(
        request,
        "snapshot",
        code,
        lambda year, lang, created: snapshot_pdf(code=code, year=year, language=lang, created=created),
    )


def network_report(request: HttpRequest) -> HttpResponse:
    from berekraft.reports.network import network_pdf

    return _pdf(
        request,
        "network",
        common.DEFAULT_NETWORK,
        lambda year, lang, created: network_pdf(year=year, language=lang, created=created),
    )
