"""What a reader sees on a phone (390 × 844, an iPhone 12–15) and on the coverage grid: no page
scrolls sideways, every chart fits the screen, every table keeps its column headers, and the
coverage grid is a grid (issue 7, findings 5 and 26).

Screenshots of every page at desktop and phone width in nb, nn and en land in
$BEREKRAFT_SCREENSHOTS when it is set (e.g. BEREKRAFT_SCREENSHOTS=/tmp/shots)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, screenshot_dir
from tests.browser.test_site import load, slug

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOCALES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}
PUBLIC = [
    "/",
    "/members/5001/",
    "/members/1103/series/en-en-aq-1c-pm2-5/",
    "/goals/",
    "/goals/11/",
    "/kpis/",
    "/kpis/ec-ict-ict-1c/",
    "/compare/?series=ec-ict-ict-1c",
    "/compare/members/?m=5001&m=1103&m=15",
]
# What the coverage grid may measure at most at desktop width: 15 member rows of 1.6 rem plus
# the vertical series codes, the totals table and the header; the stacking bug made it 44,000 px.
COVERAGE_MAX_HEIGHT = 3000

CHARTS_OUTSIDE = """() => [...document.querySelectorAll('[data-vega] svg, [data-vega] canvas')]
  .map(e => [e.closest('[data-vega]').id, e.getBoundingClientRect()])
  .filter(([, r]) => r.left < -0.5 || r.right > document.documentElement.clientWidth + 0.5)
  .map(([id, r]) => `${id}: ${Math.round(r.left)}–${Math.round(r.right)}`)"""
HIDDEN_HEADERS = """() => [...document.querySelectorAll('table thead th')]
  .filter(th => !th.closest('details:not([open])'))
  .filter(th => { const r = th.getBoundingClientRect(), s = getComputedStyle(th);
                  return s.display === 'none' || s.visibility === 'hidden' || r.width < 1 || r.height < 1; })
  .map(th => th.closest('table').id + '/' + th.textContent.trim())"""


def context_for(browser: Any, language: str, viewport: dict[str, int]) -> Any:
    return browser.new_context(
        locale=LOCALES[language], viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE
    )


@pytest.fixture
def phone(browser: Any, request: Any) -> Iterator[Any]:
    context = context_for(browser, getattr(request, "param", "nb"), PHONE)
    yield context.new_page()
    context.close()


def login(page: Any, site: str, name: str) -> None:
    page.goto(site + "/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")


def check_fits(page: Any, path: str) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways"
    assert page.evaluate(CHARTS_OUTSIDE) == [], f"{path}: chart wider than the screen"
    assert page.evaluate(HIDDEN_HEADERS) == [], f"{path}: table headers hidden"


@pytest.mark.parametrize("phone", list(LOCALES), indirect=True)
def test_every_public_page_fits_a_phone_with_charts_and_headers_visible(site: str, phone: Any) -> None:
    for path in PUBLIC:
        load(phone, site + path)
        check_fits(phone, path)


def test_coverage_grid_is_a_grid_and_fits_a_phone(site: str, browser: Any) -> None:
    for viewport in (DESKTOP, PHONE):
        context = context_for(browser, "nb", viewport)
        page = context.new_page()
        login(page, site, "verifier")
        load(page, site + "/coverage/")
        displays = page.eval_on_selector_all(
            ".coverage-grid td.st", "els => [...new Set(els.map(e => getComputedStyle(e).display))]"
        )
        assert displays == ["table-cell"]
        if viewport is DESKTOP:
            assert page.evaluate("document.documentElement.scrollHeight") < COVERAGE_MAX_HEIGHT
        else:
            check_fits(page, "/coverage/")
        context.close()


@pytest.mark.skipif(screenshot_dir() is None, reason="BEREKRAFT_SCREENSHOTS is not set")
@pytest.mark.parametrize("language", list(LOCALES))
def test_screenshots(site: str, browser: Any, language: str) -> None:
    folder = screenshot_dir()
    assert folder is not None
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = context_for(browser, language, viewport)
        page = context.new_page()
        for path in (
            "/",
            "/members/5001/",
            "/goals/11/",
            "/kpis/ec-ict-ict-1c/",
            "/compare/?series=ec-ict-ict-1c",
        ):
            load(page, site + path)
            page.screenshot(path=str(folder / f"{language}-{name}-{slug(path)}.png"), full_page=True)
        login(page, site, "verifier")
        load(page, site + "/coverage/")
        page.screenshot(path=str(folder / f"{language}-{name}-coverage.png"), full_page=True)
        context.close()
