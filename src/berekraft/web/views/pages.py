"""The public pages. Thin: read the request, call selectors, hand the result to a template (and to
the .json/.csv twins through ``twin_page``). No queries or scoring here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from berekraft.accounts.selectors import can_verify
from berekraft.action import selectors as action
from berekraft.web import figures
from berekraft.web.params import year_param
from berekraft.web.selectors import common
from berekraft.web.selectors.compare import compare_series, peer_groups, side_by_side
from berekraft.web.selectors.coverage import coverage
from berekraft.web.selectors.goals import goal_page, goals_index
from berekraft.web.selectors.indicators import IndicatorsIndex, indicator_entries, indicator_page
from berekraft.web.selectors.member import member_profile, member_series
from berekraft.web.selectors.network import measure, measures, network_home
from berekraft.web.views.base import Page, choice, language, twin_page


def _members() -> tuple[list[common.Member], bool]:
    network = common.network()
    members = common.members(network=network)
    return members, common.has_demo_data([m.place.pk for m in members])


def _member(members: list[common.Member], code: str) -> common.Member:
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise Http404(f"{code} is not a member of the network")
    return found


@twin_page
def home(request: HttpRequest) -> Page:
    members, demo = _members()
    cat = common.catalogue(language=language())
    chosen = measure(cat, choice(request, "measure"))
    data = network_home(members=members, catalogue=cat, measure=chosen, year=year_param(request), demo=demo)
    context = {"home": data, "measures": measures(cat), "map_spec": figures.network_map(data)}
    if not request.headers.get("HX-Request"):
        context["goal_projects"] = action.goal_counts(catalogue=cat)
    template = "web/partials/map_panel.html" if request.headers.get("HX-Request") else "web/network_home.html"
    return Page(template, data, context)


@twin_page
def member(request: HttpRequest, code: str) -> Page:
    place = common.public_place(code)
    cat = common.catalogue(language=language())
    profile = member_profile(place=place, catalogue=cat)
    context = {"profile": profile, "wheel_spec": figures.wheel(profile, cat)}
    context["doing"] = action.series_counts(member=place)
    return Page("web/member_profile.html", profile, context)


@twin_page
def member_series_page(request: HttpRequest, code: str, slug: str) -> Page:
    members, _demo = _members()
    cat = common.catalogue(language=language())
    data = member_series(member=_member(members, code), members=members, info=cat.series_for(slug))
    context = {"series": data, "spec": figures.member_series(data)}
    context["doing"] = action.doing_on_series(series_ids=[data.info.id], slug=slug, member=data.member.place)
    return Page("web/member_series.html", data, context)


@twin_page
def compare(request: HttpRequest) -> Page:
    network = common.network()
    members = common.members(network=network)
    demo = common.has_demo_data([m.place.pk for m in members])
    cat = common.catalogue(language=language())
    slug = choice(request, "series") or cat.series[0].slug
    groups = peer_groups(network=network, members=members)
    group = next((g for g in groups if g.key == choice(request, "group")), groups[0])
    data = compare_series(
        info=cat.series_for(slug), members=members, group=group, year=year_param(request), demo=demo
    )
    context = {
        "cmp": data,
        "groups": groups,
        "catalogue": cat,
        "members": members,
        "bars_spec": figures.ranked(data),
        "lines_spec": figures.over_time(data),
    }
    template = "web/partials/compare_panel.html" if request.headers.get("HX-Request") else "web/compare.html"
    return Page(template, data, context)


@twin_page
def compare_members(request: HttpRequest) -> Page:
    members, demo = _members()
    codes = [c for c in request.GET.getlist("m") if c][:4]
    chosen = [_member(members, c) for c in dict.fromkeys(codes)]
    if len(chosen) < 2:
        chosen = (chosen + [m for m in members if m not in chosen])[:2]
    cat = common.catalogue(language=language())
    data = side_by_side(chosen=chosen, catalogue=cat, demo=demo)
    slots = [m.code for m in chosen] + [""] * (4 - len(chosen))
    return Page("web/compare_members.html", data, {"side": data, "members": members, "slots": slots})


@twin_page
def goals(request: HttpRequest) -> Page:
    members, demo = _members()
    data = goals_index(catalogue=common.catalogue(language=language()), members=members, demo=demo)
    return Page("web/goals.html", data, {"index": data})


@twin_page
def goal(request: HttpRequest, number: int) -> Page:
    members, demo = _members()
    cat = common.catalogue(language=language())
    data = goal_page(goal=cat.goal(number), catalogue=cat, members=members, demo=demo)
    context = {"page": data, "spec": figures.goal_heatmap(data), "doing": action.doing_on_goal(number=number)}
    return Page("web/goal.html", data, context)


@twin_page
def kpis(request: HttpRequest) -> Page:
    cat = common.catalogue(language=language())
    data = IndicatorsIndex(indicator_entries(cat), cat)
    return Page("web/kpis.html", data, {"index": data})


@twin_page
def kpi(request: HttpRequest, slug: str) -> Page:
    members, demo = _members()
    cat = common.catalogue(language=language())
    data = indicator_page(slug=slug, catalogue=cat, members=members, demo=demo)
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
    data = coverage(
        catalogue=common.catalogue(language=language()), members=members, year=year_param(request)
    )
    return Page("web/coverage.html", data, {"cov": data})
