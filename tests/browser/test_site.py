"""What a person sees in Chromium: pages load cleanly, charts draw, the map shows the members,
the language switch sticks, htmx swaps in place, roles see their links, axe finds nothing serious."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PASSWORD, screenshot_dir

PAGES = [
    "/",
    "/members/5001/",
    "/members/1103/series/en-en-aq-1c-pm2-5/",
    "/compare/?series=ec-ict-ict-1c",
    "/compare/members/?m=5001&m=1103&m=15",
    "/goals/",
    "/goals/11/",
    "/kpis/",
    "/kpis/ec-ict-ict-1c/",
    "/embed/map/",
    "/embed/members/5001/wheel/",
    "/embed/compare/?series=ec-ict-ict-1c&chart=lines",
    "/accounts/login/",
    "/accounts/reset/",
]
LIVE_MEMBERS_2024 = 14  # 12 municipalities, Møre og Romsdal and Trøndelag; Viken left in 2023


def wait_until(page: Any, script: str, seconds: float = 20) -> None:
    """Poll a script from Python: Playwright's wait_for_function polls with eval, which our CSP
    (rightly) forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {script}")
        page.wait_for_timeout(100)


def load(page: Any, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    wait_until(
        page, "() => [...document.querySelectorAll('[data-vega]')].every(e => e.dataset.drawn === 'yes')"
    )


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors_and_charts_draw(site: str, page: Any, path: str) -> None:
    load(page, site + path)
    assert page.problems == []
    for chart in page.query_selector_all("[data-vega]"):
        assert chart.query_selector("svg [aria-roledescription]") is not None
    if folder := screenshot_dir():
        page.screenshot(path=str(folder / f"{slug(path)}.png"), full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(site: str, page: Any, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    load(page, site + path)
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_map_shows_every_member(site: str, page: Any) -> None:
    load(page, site + "/")
    labels = page.eval_on_selector_all(
        "#map-panel svg path[aria-roledescription='circle']",
        "els => els.map(e => e.getAttribute('aria-label'))",
    )
    assert len(labels) == LIVE_MEMBERS_2024
    for name in ("Trondheim", "Haugesund", "Møre og Romsdal", "Trøndelag"):
        assert any(name in label for label in labels), name
    load(page, site + "/?year=2020")
    assert page.locator("#map-panel svg path[aria-roledescription='circle']").count() == 15  # with Viken


def test_choosing_a_measure_redraws_the_map_in_place(site: str, page: Any) -> None:
    load(page, site + "/")
    page.select_option("select[name=measure]", "goal:3")
    page.wait_for_url(re.compile(r"measure=goal"))
    wait_until(page, "() => document.querySelector('#map-panel [data-vega]').dataset.drawn === 'yes'")
    assert "Good Health" in page.inner_text("#map-panel figcaption")
    assert page.problems == []


def test_language_switch_overrides_the_browser_and_is_remembered(site: str, page: Any) -> None:
    load(page, site + "/members/5001/")
    assert page.get_attribute("html", "lang") == "en"
    page.click("nav.langs a[lang=nn]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "nn"
    assert "Kva bør prioriterast" in page.content()
    load(page, site + "/goals/")
    assert page.get_attribute("html", "lang") == "nn"
    page.click("nav.langs a[lang=nb]")
    assert page.get_attribute("html", "lang") == "nb"


def test_keyboard_reaches_the_skip_link_and_the_switcher(site: str, page: Any) -> None:
    load(page, site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # visible when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def login(page: Any, site: str, name: str) -> None:
    page.goto(site + "/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("name", "links"),
    [
        (None, set()),
        ("editor", {"Workspace"}),
        ("verifier", {"Workspace", "Coverage"}),
        ("admin", {"Workspace", "Coverage", "Administration"}),
    ],
)
def test_roles_see_their_navigation_and_nothing_more(
    site: str, page: Any, name: str | None, links: set[str]
) -> None:
    if name:
        login(page, site, name)
    load(page, site + "/")
    nav = set(page.eval_on_selector_all(".main-nav ul a", "els => els.map(e => e.textContent.trim())"))
    assert nav - {"Network", "Compare", "Goals", "KPIs", "Projects"} == links
    response = page.goto(site + "/coverage/")
    assert (response.status == 200 and urlsplit(page.url).path == "/coverage/") is ("Coverage" in links)


def test_phone_width_has_no_sideways_scrolling(site: str, browser: Any) -> None:
    context = browser.new_context(locale="nb-NO", viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    for path in ("/", "/members/5001/", "/compare/", "/goals/3/"):
        load(page, site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        if folder := screenshot_dir():
            page.screenshot(path=str(folder / f"phone-{slug(path)}.png"), full_page=False)
    context.close()
