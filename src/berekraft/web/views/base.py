"""What every page view shares: the reader's language, one data object behind the HTML page and
its .json/.csv twins, conditional GET from the latest score run, and user errors as 404s."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any, Protocol

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from berekraft import __version__
from berekraft.errors import NotFoundError
from berekraft.web import pagecache, runs
from berekraft.web.params import parse_id
from berekraft.web.tables import Table, table_response

FORMATS = ("html", "json", "csv")


def language() -> str:
    code = (get_language() or "nb")[:2]
    return code if code in ("nb", "nn", "en") else "nb"


class HasTable(Protocol):
    def table(self) -> Table: ...


@dataclass
class Page:
    """A page: its template and context, and the data object whose table the twins serve."""

    template: str
    data: HasTable
    context: dict[str, Any] = field(default_factory=dict)
    # What only the HTML page needs (chart specs, project counts): the .json/.csv twins skip it.
    charts: Callable[[], dict[str, Any]] | None = None


def _run(request: HttpRequest) -> runs.State:
    """The latest score run and register change (web/runs.py), asked once per request."""
    if not hasattr(request, "_score_run"):
        request._score_run = runs.latest()  # type: ignore[attr-defined]
    found: runs.State = request._score_run  # type: ignore[attr-defined]
    return found


def scores_updating(request: HttpRequest) -> bool:
    """Whether the stored scores lag behind the published values and targets (a score run is
    waiting or running): pages say so. Part of the page cache key and ETag, through ``_run``."""
    run = _run(request)
    if run is None:
        return True
    run_id, _change, run_version, now_version = run[0]
    return run_id == 0 or run_version != now_version


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    run = _run(request)
    if run is None:
        return None
    user = request.user.pk if request.user.is_authenticated else 0
    key = f"{__version__}|{run[0]}|{language()}|{user}|{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    run = _run(request)
    return run[1] if run else None


def twin_page(view: Callable[..., Page | HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a view's Page as HTML, or its table as JSON or CSV (``fmt``), with ETag and
    Last-Modified from the latest score run: stored scores change only when a run finishes."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, fmt: str = "html", **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            raise Http404(f"unknown format {fmt!r}")
        max_age = settings.PAGE_CACHE_SECONDS
        cached = bool(max_age) and request.method in ("GET", "HEAD") and not request.user.is_authenticated
        if cached:
            # The key holds only the query names the page reads (web/pagecache.py): junk is no miss.
            route = (request.resolver_match.view_name if request.resolver_match else "", fmt)
            base = (_run(request), language(), request.path, fmt, "HX-Request" in request.headers)
            query = request.GET
            known = pagecache.queries.key(route, query)
            if known is not None and (hit := pagecache.pages.get((*base, known), max_age)) is not None:
                return hit
            reading = pagecache.ReadQuery(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
            request.GET = reading  # type: ignore[assignment]
        try:
            result = view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(str(exc)) from exc
        finally:
            if cached:
                read = reading.stop()
                request.GET = query
        if isinstance(result, HttpResponse):
            return result
        if cached and read is not None:
            # Render with the query the page read, so no link on it carries someone's junk.
            request.GET = pagecache.only(query, read)  # type: ignore[assignment]
            request.META["QUERY_STRING"] = request.GET.urlencode()
        if fmt != "html":
            response = table_response(result.data.table(), fmt)
        else:
            charts = result.charts() if result.charts else {}
            response = render(request, result.template, {**result.context, **charts, "data": result.data})
        if cached and response.status_code == 200:
            pagecache.queries.learn(route, read)
            pagecache.pages.put((*base, pagecache.queries.key(route, query)), response, max_age)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        else:
            patch_cache_control(response, public=True, max_age=60)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    conditional: Callable[..., HttpResponse] = condition(etag_func=_etag, last_modified_func=_last_modified)(
        wrapped
    )
    return conditional


def is_twin(request: HttpRequest) -> bool:
    """Whether the request is for a .json/.csv twin (which carries every row of a paged page)."""
    match = request.resolver_match
    return bool(match and match.kwargs.get("fmt", "html") != "html")


def page_number(request: HttpRequest) -> int | None:
    """The page of a paged page (1 if absent or not a number); None for the twins: every row."""
    return None if is_twin(request) else (parse_id(request.GET.get("page", "").strip()) or 1)


def choice(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name, "").strip()
    return value or None
