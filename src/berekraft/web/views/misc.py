"""Download-all, the language switch, the bad-request page and the benchmark floor."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import condition

from berekraft.opendata.datapackage import package_zip
from berekraft.web import constants
from berekraft.web.selectors.export import export_tables
from berekraft.web.selectors.published import published, values_table
from berekraft.web.tables import DEMO_NOTE, LICENCE
from berekraft.web.views.base import _etag, _last_modified, _run


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_all(request: HttpRequest) -> HttpResponse:
    members, demo = constants.members()
    catalogue = constants.catalogue()
    tables = export_tables(catalogue=catalogue, members=members, demo=demo)
    # A Frictionless Data Package: the tables, the published values, and datapackage.json.
    values = published(catalogue=catalogue, members=members, title="", run=_run(request))
    notes = [LICENCE, *([DEMO_NOTE] if demo else [])]
    body = package_zip(
        [*tables, values_table(values)],
        title="berekraft: all data of the network",
        licence_url=values.licence_url,
        notes=notes,
    )
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="berekraft-data.zip"'
    return response


def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """The switcher: a plain link (no script, no form) that remembers the choice in a cookie,
    which then wins over the browser's Accept-Language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(f"no language {code!r}")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 400 page (``handler400``): says which parameter was wrong. Django's own renders
    400.html without the request or the message."""
    message = str(exception) if exception is not None and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The lightest Django view there is: the floor bench/web.py measures the pages against."""
    return HttpResponse(b"ok", content_type="text/plain")
