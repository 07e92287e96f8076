"""Open-data downloads (berekraft.opendata) per KPI, per member, per member and year (the U4SSC
workbook), for everything, and the DCAT-AP-NO catalogue. Thin: a selector gives the published
values, a format function writes them."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from rdflib import Graph

from berekraft.catalogue.models import Indicator
from berekraft.core.years import year_problem
from berekraft.errors import NotFoundError
from berekraft.opendata import dcat, jsonstat, opensdg, sdmx
from berekraft.opendata.rows import Published, Value
from berekraft.opendata.workbook import published_workbook
from berekraft.web import downloads
from berekraft.web.selectors import common
from berekraft.web.selectors.indicators import indicator_entries
from berekraft.web.selectors.published import published
from berekraft.web.views.base import _etag, _last_modified, _run, language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# format in the URL → (media type, writer)
WRITERS: dict[str, tuple[str, Callable[[Published], bytes]]] = {
    "json-stat.json": (
        "application/json; charset=utf-8",
        lambda p: json.dumps(jsonstat.dataset(p, language=language()), ensure_ascii=False).encode("utf-8"),
    ),
    "sdmx.csv": (sdmx.MEDIA_TYPE, lambda p: sdmx.data_csv(p).encode("utf-8")),
    "open-sdg.zip": ("application/zip", opensdg.repository_zip),
}


def _file(body: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _write(data: Published, fmt: str, stem: str) -> HttpResponse:
    if fmt not in WRITERS:
        raise Http404(f"unknown format {fmt!r}")
    media_type, writer = WRITERS[fmt]
    return _file(writer(data), media_type, f"{stem}.{fmt}")


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _kept(
    request: HttpRequest, name: str, make: Callable[[], bytes], media_type: str, *, attachment: bool = True
) -> HttpResponse | FileResponse:
    """A download of the whole network's data, made once per state of the data, language and site
    address and kept as a file (web/downloads.py): at 357 members each took 14-38 s a request."""
    state = downloads.data_state(_run(request), common.members(network=common.network()))
    variant = downloads.variant(language(), _site(request))
    response = downloads.response(
        name, state, variant, lambda out: out.write(make()), content_type=media_type, attachment=attachment
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_all(request: HttpRequest, fmt: str) -> HttpResponse | FileResponse:
    if fmt not in WRITERS:
        raise Http404(f"unknown format {fmt!r}")
    media_type, writer = WRITERS[fmt]

    def make() -> bytes:
        data = published(
            catalogue=common.catalogue(language=language()),
            members=common.members(network=common.network()),
            title=_("Published values of the network's members"),
            site=_site(request),
            run=_run(request),
        )
        return writer(data)

    return _kept(request, f"berekraft-data.{fmt}", make, media_type)


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


def _definition(indicator: Indicator, lang: str) -> str:
    return str(getattr(indicator, f"definition_{lang}", "") or indicator.definition_en)


def _catalogue_graph(request: HttpRequest) -> Graph:
    lang = language()
    site = _site(request)
    catalogue = common.catalogue(language=lang)
    members = common.members(network=common.network())
    everything = published(catalogue=catalogue, members=members, title="", site=site, run=_run(request))

    def distributions(path: str) -> list[dcat.Distribution]:
        url = request.build_absolute_uri(path)
        return [
            dcat.Distribution(
                f"{url}.json-stat.json",
                "JSON-stat 2.0",
                "application/json",
                "JSON",
                "https://json-stat.org/format/",
            ),
            dcat.Distribution(
                f"{url}.sdmx.csv", "SDMX-CSV 2.0", "text/csv", "CSV", "https://github.com/sdmx-twg/sdmx-csv"
            ),
            dcat.Distribution(
                f"{url}.open-sdg.zip", "Open SDG", "application/zip", "ZIP", "https://open-sdg.org/"
            ),
        ]

    entries = [
        dcat.DatasetEntry(
            identifier=site + "datasets/berekraft-data",
            title=_("Sustainability indicators of the network's members (U4SSC)"),
            description=_(
                "Published values of the U4SSC key performance indicators for the members of the "
                "network, by member, indicator and year, with targets and scores."
            ),
            landing_page=site,
            dimensions=("EC", "EN", "SC"),
            keywords=("U4SSC", "SDG", "bærekraft"),
            distributions=[
                dcat.Distribution(
                    request.build_absolute_uri(reverse("download_all")),
                    "Frictionless Data Package",
                    "application/zip",
                    "ZIP",
                    "https://specs.frictionlessdata.io/data-package/",
                ),
                *distributions("/download/berekraft-data"),
            ],
            published=everything,
        )
    ]
    by_series: dict[str, list[Value]] = {}
    for v in everything.values:
        by_series.setdefault(v.series, []).append(v)
    for entry in indicator_entries(catalogue):
        codes = [s.code for s in entry.series]
        sliced = Published(
            title=entry.name,
            series=[s for s in everything.series if s.code in codes],
            places=everything.places,
            values=[v for code in codes for v in by_series.get(code, [])],
            demo=everything.demo,
            licence_url=everything.licence_url,
            licence_note=everything.licence_note,
            updated=everything.updated,
            site=site,
        )
        entries.append(
            dcat.DatasetEntry(
                identifier=site + f"datasets/kpis/{entry.slug}",
                title=f"{entry.indicator.code} {entry.name}",
                description=str(
                    getattr(entry.indicator, f"definition_{lang}", "") or entry.indicator.definition_en
                )
                or entry.name,
                landing_page=request.build_absolute_uri(reverse("kpi", args=[entry.slug])),
                dimensions=(entry.dimension,),
                keywords=("U4SSC", entry.indicator.code, *(f"SDG {g}" for g in entry.goals)),
                distributions=distributions(f"/download/kpis/{entry.slug}"),
                published=sliced,
            )
        )
    return dcat.catalogue_graph(
        base=site,
        title=_("berekraft: open data of the network"),
        description=_("Datasets published by the network on its berekraft site."),
        language=lang,
        entries=entries,
    )


@condition(etag_func=_etag, last_modified_func=_last_modified)
def catalogue_turtle(request: HttpRequest) -> HttpResponse | FileResponse:
    return _kept(
        request,
        "catalog.ttl",
        lambda: _catalogue_graph(request).serialize(format="turtle").encode("utf-8"),
        "text/turtle; charset=utf-8",
        attachment=False,
    )


@condition(etag_func=_etag, last_modified_func=_last_modified)
def catalogue_jsonld(request: HttpRequest) -> HttpResponse | FileResponse:
    return _kept(
        request,
        "catalog.jsonld",
        lambda: _catalogue_graph(request).serialize(format="json-ld").encode("utf-8"),
        "application/ld+json; charset=utf-8",
        attachment=False,
    )
