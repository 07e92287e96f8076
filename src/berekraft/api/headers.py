"""HTTP around every API response: conditional GET (ETag, Last-Modified, 304), caching and CORS.

The ETag is a hash of the body as it would be sent, so it is right whatever changed (a published
value, a target, a name in the catalogue, the reader's language); a client that sends it back
gets 304 and no body. Last-Modified is the later of the latest score run and the latest change of
the action registers (web/runs.py, as for the pages): published values and targets change only
together with a run, projects and the rest of the registers with a register change. Public reads
(no token) are ``public, max-age=60`` and open to every origin (CORS); a token's answers are
``private`` and not shared across origins.

Public reads are kept rendered as the site's public pages are (web/pagecache.py): under the latest
score run and register change, the language and the full path with its query, for at most
PAGE_CACHE_SECONDS; a hit is still counted against the caller's rate limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from berekraft.api.auth import anonymous_allowed
from berekraft.web import pagecache, runs
from berekraft.web.views.base import language

READS = ("GET", "HEAD")


def _cache_key(request: HttpRequest) -> tuple[object, ...] | None:
    if not settings.PAGE_CACHE_SECONDS or request.method not in READS or "Authorization" in request.headers:
        return None
    if request.path.endswith(("/docs", "/openapi.json")):
        return None
    query = request.META.get("QUERY_STRING", "")
    return ("api", runs.latest(), language(), request.path, query)


def conditional(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _cache_key(request)
        hit = pagecache.pages.get(key, settings.PAGE_CACHE_SECONDS) if key is not None else None
        if hit is not None and anonymous_allowed(request):
            return _checked(request, hit)
        response = _decorated(request, view(request, *args, **kwargs))
        if key is not None and response.status_code == 200 and not response.streaming:
            pagecache.pages.put(key, response, settings.PAGE_CACHE_SECONDS)
        return _checked(request, response)

    return wrapped


def _checked(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """304 (or 412) where the request's conditions say so."""
    if request.method not in READS or response.status_code != 200:
        return response
    modified = response.get("Last-Modified")
    last_modified = parse_http_date_safe(modified) if modified else None
    checked = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
    return checked if checked is not None else response


def _decorated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    with_token = "Authorization" in request.headers
    patch_vary_headers(response, ("Accept-Language", "Authorization"))
    if request.method not in READS:
        patch_cache_control(response, no_store=True)
        return response
    if with_token:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=60)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    # Last-Modified only where it is the data's: a token's answer can change with a draft.
    run = None if with_token else runs.latest()
    if run is not None and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(int(run[1].timestamp()))
    return response


def wrap(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Every API view wrapped in ``conditional`` (django-ninja gives plain URL patterns)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = conditional(pattern.callback)
        elif isinstance(pattern, URLResolver):
            wrap(pattern.url_patterns)
    return patterns
