"""The public pages. Thin: read the request, call selectors, hand the result to a template (and to
the .json/.csv twins through ``twin_page``). No queries or scoring here."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from berekraft.accounts.selectors import can_verify
from berekraft.action import doing as action
from berekraft.web import constants, figures
from berekraft.web.params import year_param
from berekraft.web.selectors import common
from berekraft.web.selectors.compare import compare_series, side_by_side
from berekraft.web.selectors.coverage import coverage
from berekraft.web.selectors.goals import goal_page, goals_index
from berekraft.web.selectors.indicators import IndicatorsIndex, indicator_entries, indicator_page
from berekraft.web.selectors.local import local_section
from berekraft.web.selectors.member import member_profile, member_series
from berekraft.web.selectors.network import measure, measures, network_home
from berekraft.web.views.base import Page, choice, language, page_number, twin_page


def _members() -> tuple[list[common.Member], bool]:
    return constants.members()


def _member(members: list[common.Member], code: str) -> common.Member:
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise Http404(f"{code} is not a member of the network")
    return found


@twin_page
def home(request: HttpRequest) -> Page:
    members, demo = _members()
    cat = constants.catalogue()
    chosen = measure(cat, choice(request, "measure"))
    data = network_home(
        members=members,
        catalogue=cat,
        measure=chosen,
        year=year_param(request),
        demo=demo,
        reported=constants.reported_counts(members),
        page=page_number(request),
    )
    context = {"home": data, "measures": measures(cat)}
    partial_panel = bool(request.headers.get("HX-Request"))
    template = "web/partials/map_panel.html" if partial_panel else "web/network_home.html"

    def html_only() -> dict[str, Any]:
        extras: dict[str, Any] = {"map_spec": figures.network_map(data)}
        if not partial_panel:
            extras["goal_projects"] = action.goal_counts(catalogue=cat)
        return extras

    return Page(template, data, context, html_only)


@twin_page
def member(request: HttpRequest, code: str) -> Page:
    place = common.public_place(code)
    cat = constants.catalogue()
    profile = member_profile(place=place, catalogue=cat, year=year_param(request))
    context = {
        "profile": profile,
        # The local section is called by the template only (the twins are the U4SSC profile).
        "local": partial(local_section, place=place, language=language()),
    }

    def html_only() -> dict[str, Any]:
        return {"wheel_spec": figures.wheel(profile, cat), "doing": action.series_counts(member=place)}

    return Page("web/member_profile.html", profile, context, html_only)


@twin_page
def member_series_page(request: HttpRequest, code: str, slug: str) -> Page:
    members, _demo = _members()
    cat = constants.catalogue()
    data = member_series(member=_member(members, code), members=members, info=cat.series_for(slug))
    charts = lambda: {"spec": figures.member_series(data)}  # noqa: E731
    context = {
        "series": data,
        "doing": action.doing_on_series(series_ids=[data.info.id], slug=slug, member=data.member.place),
    }
    return Page("web/member_series.html", data, context, charts)


@twin_page
def compare(request: HttpRequest) -> Page:
    network, members = constants.network()
    demo = constants.has_demo_data(members)
    cat = constants.catalogue()
    slug = choice(request, "series") or cat.series[0].slug
    groups = constants.groups(network, members)
    group = next((g for g in groups if g.key == choice(request, "group")), groups[0])
    data = compare_series(
        info=cat.series_for(slug), members=members, group=group, year=year_param(request), demo=demo
    )
    context = {
        "cmp": data,
        "groups": groups,
        "catalogue": cat,
        "members": members,
    }
    template = "web/partials/compare_panel.html" if request.headers.get("HX-Request") else "web/compare.html"
    return Page(
        template,
        data,
        context,
        lambda: {"bars_spec": figures.ranked(data), "lines_spec": figures.over_time(data)},
    )


@twin_page
def compare_members(request: HttpRequest) -> Page:
    members, demo = _members()
    codes = [c for c in request.GET.getlist("m") if c][:4]
    chosen = [_member(members, c) for c in dict.fromkeys(codes)]
    if len(chosen) < 2:
        chosen = (chosen + [m for m in members if m not in chosen])[:2]
    cat = constants.catalogue()
    data = side_by_side(chosen=chosen, catalogue=cat, demo=demo)
    slots = [m.code for m in chosen] + [""] * (4 - len(chosen))
    return Page("web/compare_members.html", data, {"side": data, "members": members, "slots": slots})


@twin_page
def goals(request: HttpRequest) -> Page:
    members, demo = _members()
    data = goals_index(catalogue=constants.catalogue(), members=members, demo=demo)
    return Page("web/goals.html", data, {"index": data})


@twin_page
def goal(request: HttpRequest, number: int) -> Page:
    members, demo = _members()
    cat = constants.catalogue()
    data = goal_page(
        goal=cat.goal(number), catalogue=cat, members=members, demo=demo, page=page_number(request)
    )
    context = {"page": data, "doing": action.doing_on_goal(number=number)}
    return Page("web/goal.html", data, context, lambda: {"spec": figures.goal_heatmap(data)})


@twin_page
def kpis(request: HttpRequest) -> Page:
    cat = constants.catalogue()
    data = IndicatorsIndex(indicator_entries(cat), cat)
    return Page("web/kpis.html", data, {"index": data})


@twin_page
def kpi(request: HttpRequest, slug: str) -> Page:
    members, demo = _members()
    cat = constants.catalogue()
    data = indicator_page(slug=slug, catalogue=cat, members=members, demo=demo, page=page_number(request))
    doing = action.doing_on_series(series_ids=[s.id for s in data.entry.series], slug=slug)
    return Page("web/kpi.html", data, {"page": data, "catalogue": cat, "doing": doing})


@login_required
def coverage_page(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """For verifiers and the secretariat; other logged-in users get 403 (not a login loop)."""
    if not can_verify(request.user):
        raise PermissionDenied("coverage is for verifiers and network admins")
    return _coverage(request, fmt=fmt)


@twin_page
def _coverage(request: HttpRequest) -> Page:
    members, _demo = _members()
    data = coverage(catalogue=constants.catalogue(), members=members, year=year_param(request))
    return Page("web/coverage.html", data, {"cov": data})
