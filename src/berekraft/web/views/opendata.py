"""Open-data downloads (berekraft.opendata) per KPI, per member, per member and year (the U4SSC
workbook), for everything, and the DCAT-AP-NO catalogue. Thin: a selector gives the published
values, a format function writes them; the whole network's files and the catalogue are kept as
files and prepared by the worker after each score run (web/network_files.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import condition

from berekraft.core.years import year_problem
from berekraft.errors import NotFoundError
from berekraft.opendata.rows import Published
from berekraft.opendata.workbook import published_workbook
from berekraft.web import network_files
from berekraft.web.selectors import common
from berekraft.web.selectors.published import published
from berekraft.web.views.base import _etag, _last_modified, _run, language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITERS = network_files.WRITERS


def _file(body: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _write(data: Published, fmt: str, stem: str) -> HttpResponse:
    if fmt not in WRITERS:
        raise Http404(f"unknown format {fmt!r}")
    media_type, writer = WRITERS[fmt]
    return _file(writer(data, language()), media_type, f"{stem}.{fmt}")


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _network_file(request: HttpRequest, kind: str) -> HttpResponse | FileResponse:
    """A download of the whole network's data, made once per state of the data, language (and
    site address, where it holds it) and kept as a file, by the worker after each score run
    (web/network_files.py): at 357 members each took 14-38 s a request."""
    inputs = network_files.Inputs.of(language=language(), site=_site(request), run=_run(request))
    return network_files.response(kind, inputs)


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_all(request: HttpRequest, fmt: str) -> HttpResponse | FileResponse:
    if fmt not in WRITERS:
        raise Http404(f"unknown format {fmt!r}")
    return _network_file(request, f"berekraft-data.{fmt}")


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_kpi(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    catalogue = common.catalogue(language=language())
    series = [s for s in catalogue.series if s.indicator_slug == slug]
    if not series:
        raise Http404(f"no KPI {slug!r}")
    data = published(
        catalogue=catalogue,
        members=common.members(network=common.network()),
        title=f"{series[0].indicator.code} {series[0].indicator_name}",
        series=series,
        site=_site(request),
        run=_run(request),
    )
    return _write(data, fmt, slug)


def _member(code: str) -> common.Member:
    try:
        members = common.members(network=common.network())
    except NotFoundError as exc:
        raise Http404(str(exc)) from exc
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise Http404(f"no member {code!r}")
    return found


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_member(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    member = _member(code)
    data = published(
        catalogue=common.catalogue(language=language()),
        members=[member],
        title=f"{member.name} ({member.code})",
        site=_site(request),
        run=_run(request),
    )
    return _write(data, fmt, f"berekraft-{member.code}")


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_workbook(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The U4SSC collection workbook of a member and year, filled with the published values."""
    if year_problem(year) is not None:
        raise Http404(f"no year {year}")
    member = _member(code)
    ended = member.place.valid_to
    if ended is not None and year > ended.year:
        raise Http404(f"{member.name} ({member.code}) ended on {ended}: no workbook for {year}")
    data = published(catalogue=common.catalogue(language="nb"), members=[member], title=member.name)
    with tempfile.TemporaryDirectory() as folder:
        path = published_workbook(data, place=member.code, year=year, path=Path(folder) / "book.xlsx")
        body = path.read_bytes()
    return _file(body, XLSX, f"u4ssc-{member.code}-{year}.xlsx")


@condition(etag_func=_etag, last_modified_func=_last_modified)
def catalogue_turtle(request: HttpRequest) -> HttpResponse | FileResponse:
    return _network_file(request, "catalog.ttl")


@condition(etag_func=_etag, last_modified_func=_last_modified)
def catalogue_jsonld(request: HttpRequest) -> HttpResponse | FileResponse:
    return _network_file(request, "catalog.jsonld")
