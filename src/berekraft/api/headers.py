"""HTTP around every API response: conditional GET (ETag, Last-Modified, 304), caching and CORS.

The ETag is a hash of the body as it would be sent, so it is right whatever changed (a published
value, a target, a name in the catalogue, the reader's language); a client that sends it back
gets 304 and no body. Last-Modified is the end of the latest score run: published values and
targets change only together with one. Public reads (no token) are ``public, max-age=60`` and
open to every origin (CORS); a token's answers are ``private`` and not shared across origins.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from berekraft.web.selectors.common import latest_score_run

READS = ("GET", "HEAD")


def conditional(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
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
        run = None if with_token else latest_score_run()
        last_modified = int(run[1].timestamp()) if run else None
        if last_modified is not None and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified)
        checked = get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )
        return checked if checked is not None else response

    return wrapped


def wrap(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Every API view wrapped in ``conditional`` (django-ninja gives plain URL patterns)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = conditional(pattern.callback)
        elif isinstance(pattern, URLResolver):
            wrap(pattern.url_patterns)
    return patterns
