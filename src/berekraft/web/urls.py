"""The site's URLs. Every page that shows a table or chart answers the same query as .json and .csv."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.urls import URLPattern, include, path, register_converter

from berekraft.web.params import IdConverter, YearConverter
from berekraft.web.views import accounts, action, embed, local, misc, opendata, pages, reports


class FormatConverter:
    regex = "json|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SlugConverter(FormatConverter):
    regex = "[a-z0-9-]+"


class CodeConverter(FormatConverter):
    regex = "[0-9A-Za-z]+"


register_converter(FormatConverter, "fmt")
register_converter(YearConverter, "year")
register_converter(IdConverter, "id")
register_converter(SlugConverter, "key")
register_converter(CodeConverter, "code")


def twins(route: str, view: Callable[..., HttpResponse], name: str) -> list[URLPattern]:
    """``route/`` as HTML and ``route.json`` / ``route.csv`` as data, from one view."""
    base = route.rstrip("/")
    return [
        path(f"{base}.<fmt:fmt>" if base else "index.<fmt:fmt>", view, name=f"{name}_data"),
        path(route, view, name=name),
    ]


urlpatterns = [
    *twins("", pages.home, "home"),
    *twins("members/<code:code>/", pages.member, "member"),
    *twins("members/<code:code>/series/<key:slug>/", pages.member_series_page, "member_series"),
    *twins("members/<code:code>/local/<key:slug>/", local.member_local, "member_local"),
    *twins("compare/", pages.compare, "compare"),
    *twins("compare/members/", pages.compare_members, "compare_members"),
    *twins("goals/", pages.goals, "goals"),
    *twins("goals/<id:number>/", pages.goal, "goal"),
    *twins("kpis/", pages.kpis, "kpis"),
    *twins("kpis/<key:slug>/", pages.kpi, "kpi"),
    *twins("coverage/", pages.coverage_page, "coverage"),
    path("download/berekraft-data.zip", misc.download_all, name="download_all"),
    path("embed/map/", embed.embed_map, name="embed_map"),
    path("embed/members/<code:code>/wheel/", embed.embed_wheel, name="embed_wheel"),
    path(
        "embed/members/<code:code>/series/<key:slug>/", embed.embed_member_series, name="embed_member_series"
    ),
    path("embed/compare/", embed.embed_compare, name="embed_compare"),
    path("embed/goals/<id:number>/", embed.embed_goal, name="embed_goal"),
    path("language/<str:code>/", misc.set_language, name="set_language"),
    path("accounts/", include((accounts.urlpatterns, "accounts"))),
]
urlpatterns += [
    path("members/<code:code>/report.pdf", reports.member_report, name="member_report"),
    path("report.pdf", reports.network_report, name="network_report"),
]


class OpenDataFormatConverter(FormatConverter):
    regex = r"json-stat\.json|sdmx\.csv|open-sdg\.zip"


register_converter(OpenDataFormatConverter, "odfmt")
# Open-data downloads (berekraft.opendata) and the DCAT-AP-NO catalogue.
urlpatterns += [
    path("download/berekraft-data.<odfmt:fmt>", opendata.download_all, name="download_opendata"),
    path("download/kpis/<key:slug>.<odfmt:fmt>", opendata.download_kpi, name="download_kpi"),
    path("download/members/<code:code>.<odfmt:fmt>", opendata.download_member, name="download_member"),
    path(
        "download/members/<code:code>/<year:year>.xlsx", opendata.download_workbook, name="download_workbook"
    ),
    path("catalog.ttl", opendata.catalogue_turtle, name="catalogue_turtle"),
    path("catalog.jsonld", opendata.catalogue_jsonld, name="catalogue_jsonld"),
]
if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor", misc.bench_floor, name="bench_floor"))

# The action registers: projects, organisations, citizen involvement, a member's action tab.
urlpatterns += [
    *twins("projects/", action.projects, "projects"),
    *twins("projects/<id:pk>/", action.project, "project"),
    *twins("organisations/<id:pk>/", action.organisation, "organisation"),
    *twins("involvement/<id:pk>/", action.involvement, "involvement"),
    *twins("members/<code:code>/action/", action.member_action, "member_action"),
]
