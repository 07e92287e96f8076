"""/embed/…: each chart alone on a page, for an <iframe> on another site (framing allowed here only)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.views.decorators.clickjacking import xframe_options_exempt

from berekraft.errors import NotFoundError
from berekraft.web import constants, figures
from berekraft.web.charts import Spec
from berekraft.web.params import year_param
from berekraft.web.selectors import common
from berekraft.web.selectors.compare import compare_series
from berekraft.web.selectors.goals import goal_page
from berekraft.web.selectors.member import member_profile, member_series
from berekraft.web.selectors.network import measure, network_home
from berekraft.web.views.base import HasTable, Page, choice, page_number, twin_page


def _chart(title: str, spec: Callable[[], Spec], data: HasTable, link: str) -> Page:
    return Page("web/embed.html", data, {"title": title, "link": link}, lambda: {"spec": spec()})


@xframe_options_exempt
@twin_page
def embed_map(request: HttpRequest) -> Page:
    members, demo = constants.members()
    cat = constants.catalogue()
    chosen = measure(cat, choice(request, "measure"))
    data = network_home(
        members=members,
        catalogue=cat,
        measure=chosen,
        year=year_param(request),
        demo=demo,
        reported=constants.reported_counts(members),
        page=page_number(request),  # the map only: one page of cards is read, none shown
    )
    return _chart(
        f"{chosen.label}, {data.year}",
        lambda: figures.network_map(data),
        data,
        request.get_full_path().replace("/embed/map/", "/", 1),
    )


@xframe_options_exempt
@twin_page
def embed_wheel(request: HttpRequest, code: str) -> Page:
    place = common.public_place(code)
    cat = constants.catalogue()
    profile = member_profile(place=place, catalogue=cat)
    return _chart(place.name_nb, lambda: figures.wheel(profile, cat), profile, f"/members/{code}/")


@xframe_options_exempt
@twin_page
def embed_member_series(request: HttpRequest, code: str, slug: str) -> Page:
    members = constants.network()[1]
    cat = constants.catalogue()
    member = next((m for m in members if m.code == code), None)
    if member is None:
        raise NotFoundError(f"{code} is not a member")
    data = member_series(member=member, members=members, info=cat.series_for(slug))
    return _chart(
        f"{member.name}: {data.info.name}",
        lambda: figures.member_series(data),
        data,
        f"/members/{code}/series/{slug}/",
    )


@xframe_options_exempt
@twin_page
def embed_compare(request: HttpRequest) -> Page:
    network, members = constants.network()
    demo = constants.has_demo_data(members)
    cat = constants.catalogue()
    groups = constants.groups(network, members)
    group = next((g for g in groups if g.key == choice(request, "group")), groups[0])
    info = cat.series_for(choice(request, "series") or cat.series[0].slug)
    data = compare_series(info=info, members=members, group=group, year=year_param(request), demo=demo)
    lines = choice(request, "chart") == "lines"
    spec = (lambda: figures.over_time(data)) if lines else (lambda: figures.ranked(data))
    return _chart(
        f"{info.name}", spec, data, request.get_full_path().replace("/embed/compare/", "/compare/", 1)
    )


@xframe_options_exempt
@twin_page
def embed_goal(request: HttpRequest, number: int) -> Page:
    members, demo = constants.members()
    cat = constants.catalogue()
    data = goal_page(
        goal=cat.goal(number), catalogue=cat, members=members, demo=demo, page=page_number(request)
    )
    return _chart(f"SDG {number}", lambda: figures.goal_heatmap(data), data, f"/goals/{number}/")
