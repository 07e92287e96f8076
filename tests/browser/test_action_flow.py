"""The action issue's done criterion, in Chromium: the Trondheim editor registers a project on
SDG target 11.6 and on a KPI series red for Trondheim, with an existing partner of another
member's project and a new one (a wrong org number refused at the field first), records a
workshop, publishes; the public then finds it on every page it should, in nb, nn and en."""

from __future__ import annotations

from typing import Any

from .conftest import site_query
from .test_site import login

WORD = "Tindefjellvarmen"  # a word only this project's description holds

RED_SERIES = """
from berekraft.scores.models import SeriesScore
from berekraft.action.models import Partnership
latest = {}  # Trondheim's band in each series' latest scored year
for series_id, points in SeriesScore.objects.filter(place__code="5001").order_by("year").values_list(
    "series_id", "points"
):
    latest[series_id] = points
red = [i for i, points in latest.items() if points == 1]
molde = set(SeriesScore.objects.filter(place__code="1506").values_list("series_id", flat=True))
from berekraft.catalogue.models import Series
both = [i for i in red if i in molde]
s = Series.objects.select_related("indicator").filter(pk__in=both).order_by("order")[0]
org = Partnership.objects.exclude(project__member__code="5001").filter(
    project__published_at__isnull=False
).select_related("organisation").order_by("pk")[0].organisation
print(s.pk, s.code, s.indicator.code, org.pk, sep="\\t")
"""


def slug(code: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def save(page: Any) -> None:
    with page.expect_navigation():
        page.click("form:has(input[name=title]) button[type=submit]")


def test_editor_registers_a_project_and_the_public_finds_it(site: str, page: Any, browser: Any) -> None:
    _series_pk, series_code, indicator_code, org_pk = site_query(RED_SERIES).split("\t")
    login(page, site, "editor")
    page.goto(site + "/workspace/action/5001/projects/new/")
    page.fill("input[name=title]", "Renere luft i Midtbyen")
    page.fill("textarea[name=description]", f"Vi måler og senker svevestøv.\n\nMed {WORD} som mål.")
    page.select_option("select[name=status]", "ongoing")
    page.fill("input[name=start_date]", "2024-03-01")
    page.select_option("select[name=sdg_targets]", "11.6")
    page.select_option("select[name=kpis-0-series]", series_code)
    page.select_option("select[name=partners-0-organisation]", org_pk)
    page.select_option("select[name=partners-0-role]", "research")
    page.fill("input[name=new-name]", "Midtbyen Luftlag")
    page.select_option("select[name=new-kind]", "voluntary")
    page.fill("input[name=new-org_number]", "974760674")  # wrong check digit
    page.select_option("select[name=new-role]", "co_creator")
    save(page)
    field = page.locator("#new-partner").inner_text()
    assert "The check digit (the last digit) does not match" in field, field
    page.fill("input[name=new-org_number]", "974760673")
    save(page)
    assert "/workspace/action/project/" in page.url, page.inner_text("main")
    project_pk = page.url.rstrip("/").rsplit("/", 1)[1]
    with page.expect_navigation():
        page.click("main button:has-text('Publish')")

    page.goto(site + "/workspace/action/5001/involvement/new/")
    page.fill("input[name=title]", "Verksted om lufta")
    page.select_option("select[name=method]", "workshop")
    page.select_option("select[name=project]", project_pk)
    page.fill("input[name=start_date]", "2024-04-10")
    page.fill("input[name=participants]", "40")
    page.check("input[name=groups][value=children_youth]")
    page.check("input[name=groups][value=immigrants]")
    save(page)
    with page.expect_navigation():
        page.click("main button:has-text('Publish')")
    new_org = site_query(
        "from berekraft.action.models import Organisation\n"
        "print(Organisation.objects.get(org_number='974760673').pk)"
    )

    title = "Renere luft i Midtbyen"
    for lang in ("nb", "nn", "en"):
        public = browser.new_context(locale={"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[lang]).new_page()
        for url in (
            "/projects/?goal=11",
            f"/projects/?q={WORD}",
            f"/kpis/{slug(indicator_code)}/",
            f"/members/1506/series/{slug(series_code)}/",
            f"/organisations/{new_org}/",
        ):
            response = public.goto(site + url)
            assert response.status == 200, (lang, url)
            assert public.locator("html").get_attribute("lang") == lang, (lang, url)
            assert title in public.inner_text("main"), (lang, url)
        text = public.goto(f"{site}/projects/{project_pk}/") and public.inner_text("main")
        assert "Midtbyen Luftlag" in text and "11.6" in text
        public.context.close()
    assert page.problems == []
