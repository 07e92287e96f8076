"""The action registers' public pages: the project list, a project, an organisation, a citizen-
involvement process and a member's action tab. Thin: parse the request, call the selectors in
``action/``, render (the .json/.csv twins through ``twin_page``)."""

from __future__ import annotations

from django.http import HttpRequest

from berekraft.action import records
from berekraft.action.selectors import list_constants, parse_filters, project_list
from berekraft.web import constants, figures
from berekraft.web.params import ids_param
from berekraft.web.selectors import common
from berekraft.web.views.base import Page, is_twin, language, twin_page


@twin_page
def projects(request: HttpRequest) -> Page:
    filters = parse_filters(request.GET)
    page: int | None = None  # the twins carry every matching project
    if not is_twin(request):
        page = ids_param([request.GET["page"]], "page")[0] if request.GET.get("page", "").strip() else 1
    catalogue = constants.catalogue()
    fixed = constants.per_run("project-list", lambda: list_constants(catalogue))
    data = project_list(filters=filters, catalogue=catalogue, page=page, constants=fixed)
    return Page("web/action/projects.html", data, {"list": data})


@twin_page
def project(request: HttpRequest, pk: int) -> Page:
    network = common.network()
    data = records.project_detail(
        pk=pk, catalogue=common.catalogue(language=language()), members=common.members(network=network)
    )
    for kpi in data.kpis:
        kpi.spec = figures.member_series(kpi.series)
    return Page("web/action/project.html", data, {"detail": data})


@twin_page
def organisation(request: HttpRequest, pk: int) -> Page:
    data = records.organisation_page(pk=pk)
    return Page("web/action/organisation.html", data, {"org": data})


@twin_page
def involvement(request: HttpRequest, pk: int) -> Page:
    data = records.involvement_page(pk=pk)
    return Page("web/action/involvement.html", data, {"inv": data})


@twin_page
def member_action(request: HttpRequest, code: str) -> Page:
    place = common.public_place(code)
    data = records.member_action(place=place, catalogue=common.catalogue(language=language()))
    return Page("web/action/member_action.html", data, {"action": data})
