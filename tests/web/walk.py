"""Walk every public URL and assert that none answers with a server error.

``assert_site_answers(client)`` is meant to be called after any change of state (an import, a
submit, a verify, a member leaving …): it reads the database for what exists (members, a place
that is not a member, years with scores, series, goals, KPIs) and asks for every page, its .json and
.csv twins and the embeds. Reused by the stateful test of the real yearly cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.contrib.auth.models import User
from django.test import Client

from berekraft.catalogue.models import Goal, Indicator, Series
from berekraft.places.models import Membership, Place
from berekraft.scores.models import AggregateScore
from berekraft.web.selectors.common import series_slug


def _twins(page: str) -> Iterator[str]:
    yield page
    path, _, query = page.partition("?")
    base = path.rstrip("/") or "/index"
    for fmt in ("json", "csv"):
        yield f"{base}.{fmt}" + (f"?{query}" if query else "")


def public_urls(*, member: str | None = None, thorough: bool = False) -> list[str]:
    """Public pages and embeds for what is in the database now.

    By default every kind of page with its .json and .csv twins, the home page for every year and
    every lens but the 112 series, every member's profile and a place that is not a member, every
    series page of ``member`` (default: the first member), compare for each group, every goal, and
    every fifth KPI (about 450 requests). ``thorough`` walks everything, with twins (about 1,300)."""
    members = list(Membership.objects.select_related("place").order_by("place__code"))
    codes = [m.place.code for m in members]
    member = member or (codes[0] if codes else None)
    outsider = Place.objects.exclude(pk__in=[m.place_id for m in members]).order_by("code").first()
    years = sorted(set(AggregateScore.objects.values_list("year", flat=True)))
    years_asked = [*years, (years[-1] + 1) if years else 2030]
    u4ssc = Series.objects.filter(indicator__owner__isnull=True)
    series = [series_slug(c) for c in u4ssc.order_by("order").values_list("code", flat=True)]
    goals = list(Goal.objects.order_by("number").values_list("number", flat=True))
    kpis = sorted(
        series_slug(c) for c in Indicator.objects.filter(owner__isnull=True).values_list("code", flat=True)
    )
    measures = ["overall", "dimension:EC", "dimension:EN", "dimension:SC", *(f"goal:{g}" for g in goals)]
    if thorough:
        measures += [f"series:{s}" for s in series]
    groups = ["all", "kommune", "fylkeskommune"]
    with_twins = ["/", *(f"/?year={y}" for y in years_asked[-3:])]
    with_twins += [f"/?measure=series:{series[0]}&year={years[0]}"] if years and series else []
    with_twins += [f"/members/{c}/" for c in [*codes, *([outsider.code] if outsider else [])]]
    with_twins += [f"/members/{member}/series/{s}/" for s in series[:1]]
    with_twins += [f"/compare/?series={series[0]}&group={g}&year={y}" for g in groups for y in years[-2:]]
    with_twins += [
        "/compare/",
        "/compare/members/",
        "/compare/members/?" + "&".join(f"m={c}" for c in codes[:4]),
    ]
    with_twins += ["/goals/", *(f"/goals/{g}/" for g in goals), "/kpis/", *(f"/kpis/{k}/" for k in kpis[::5])]
    # Members' local indicators (LOCAL:<member>:<short code>) have pages of their own.
    with_twins += [
        f"/members/{owner}/local/{code.rsplit(':', 1)[-1]}/"
        for code, owner in Series.objects.filter(indicator__owner__isnull=False).values_list(
            "code", "indicator__owner__code"
        )
    ]
    html_only = [f"/?year={y}" for y in years_asked[:-3]] + [f"/?measure={m}" for m in measures]
    html_only += [f"/members/{member}/series/{s}/" for s in series[1:]]
    html_only += [f"/compare/?series={s}" for s in (series if thorough else series[::10])]
    if thorough:
        html_only += [f"/members/{c}/series/{s}/" for c in codes if c != member for s in series]
        html_only += [f"/kpis/{k}/" for k in kpis if k not in kpis[::5]]
        with_twins, html_only = with_twins + html_only, []
    urls = [u for page in with_twins for u in _twins(page)] + html_only
    urls += ["/embed/map/", "/download/berekraft-data.zip"]
    for code in codes:
        urls += [f"/embed/members/{code}/wheel/", f"/embed/members/{code}/series/{series[0]}/"]
    urls += [f"/embed/compare/?series={series[0]}", f"/embed/compare/?series={series[0]}&chart=lines"]
    urls += [f"/embed/goals/{g}/" for g in goals]
    return urls + download_urls(codes, kpis, years, thorough=thorough) + action_urls(codes, goals, series)


OPEN_FORMATS = ("json-stat.json", "sdmx.csv", "open-sdg.zip")


def download_urls(
    codes: list[str], kpis: list[str], years: list[int], *, thorough: bool = False
) -> list[str]:
    """The open-data downloads and the DCAT catalogue: one KPI and each member in every format, the
    first member's workbook for its latest year and one past it (a 404), a KPI and a member that do
    not exist (404s); with ``thorough`` also everything in every format and the PDF reports."""
    urls = ["/catalog.ttl", "/catalog.jsonld"]
    urls += [f"/download/kpis/{k}.{fmt}" for k in [*kpis[:1], "no-such-kpi"] for fmt in OPEN_FORMATS]
    urls += [f"/download/members/{c}.{fmt}" for c in [*codes, "9999"] for fmt in OPEN_FORMATS]
    if codes and years:
        urls += [f"/download/members/{codes[0]}/{y}.xlsx" for y in (years[-1], years[-1] + 1)]
    if thorough:
        urls += [f"/download/berekraft-data.{fmt}" for fmt in OPEN_FORMATS]
        urls += ["/report.pdf", *(f"/members/{c}/report.pdf" for c in codes[:2])]
    return urls


def action_urls(codes: list[str], goals: list[int], series: list[str]) -> list[str]:
    """The action registers' pages with their twins: the project list unfiltered, by each filter
    and searched; every project, organisation and involvement (published or not: a draft is a
    404, never a 500, up to 50 of each) and every member's action tab."""
    from berekraft.action.models import Involvement, Organisation, Project

    lists = ["/projects/", "/projects/?page=2", "/projects/?q=sykkel", '/projects/?q="NEAR(*-'] + [
        f"/projects/?goal={g}" for g in goals
    ]
    lists += [f"/projects/?member={c}" for c in codes[:3]] + [f"/projects/?kpi={s}" for s in series[:2]]
    lists += ["/projects/?target=11.6&year=2024&status=ongoing&partner_kind=business&method=workshop"]
    lists += [f"/members/{c}/action/" for c in codes]
    lists += [f"/projects/{pk}/" for pk in Project.objects.order_by("pk").values_list("pk", flat=True)[:50]]
    lists += [
        f"/organisations/{pk}/"
        for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True)[:50]
    ]
    lists += [
        f"/involvement/{pk}/" for pk in Involvement.objects.order_by("pk").values_list("pk", flat=True)[:50]
    ]
    return [u for page in lists for u in _twins(page)]


def verifier_urls() -> list[str]:
    """The coverage page (with its twins) for every year with data and the workspace queue."""
    years = sorted(set(AggregateScore.objects.values_list("year", flat=True)))
    pages = ["/coverage/", *(f"/coverage/?year={y}" for y in [*years, (years[-1] + 1) if years else 2030])]
    return [u for page in pages for u in _twins(page)] + ["/workspace/", "/workspace/verify/"]


def _check(client: Client, urls: Iterable[str]) -> None:
    failures = []
    client.raise_request_exception = False  # collect every failing URL, not only the first
    for url in urls:
        status = client.get(url).status_code
        if status >= 500:
            failures.append(f"{url} → {status}")
    assert not failures, "server errors:\n" + "\n".join(failures)


def assert_site_answers(
    client: Client, *, verifier: User | None = None, member: str | None = None, thorough: bool = False
) -> None:
    """The public URLs (``public_urls``) and, given a ``verifier``, the coverage pages and the
    verifier's queue as that user, answer without a 5xx; every failing URL is listed."""
    _check(client, public_urls(member=member, thorough=thorough))
    if verifier is not None:
        as_verifier = Client(headers={"Accept-Language": "en"})
        as_verifier.force_login(verifier)
        _check(as_verifier, verifier_urls())
