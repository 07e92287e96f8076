"""Download-all, the language switch, the bad-request page and the benchmark floor."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import condition

from berekraft.web import network_files
from berekraft.web.views.base import _etag, _last_modified, _run, language


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_all(request: HttpRequest) -> HttpResponse | FileResponse:
    """A Frictionless Data Package: the tables, the published values, and datapackage.json. Made
    once per score run, state of the published values, membership and language, and kept as a
    file (web/downloads.py), by the worker after each run (web/network_files.py): at 357 members
    it is 40 MB from 2.7 M rows."""
    inputs = network_files.Inputs.of(language=language(), site="", run=_run(request))
    return network_files.response("berekraft-data.zip", inputs)


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
