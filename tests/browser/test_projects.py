"""The project register in Chromium: filtering /projects/ with its form and search box, and a
project page, at phone width (390 px, no sideways scroll) in nb, nn and en. Screenshots at desktop
and phone width land in $BEREKRAFT_SCREENSHOTS when it is set."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot_dir
from tests.browser.test_phone import DESKTOP, LOCALES, PHONE, check_fits, context_for
from tests.browser.test_site import load, slug


@pytest.mark.parametrize("language", list(LOCALES))
def test_projects_filter_and_search_and_a_project_page_fit_a_phone(
    site: str, browser: Any, language: str
) -> None:
    context = context_for(browser, language, PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    load(page, site + "/projects/")
    check_fits(page, "/projects/")
    page.select_option("select[name=goal]", "11")
    page.select_option("select[name=member]", "1506")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "goal=11" in page.url and "member=1506" in page.url
    titles = page.locator(".project-item h3 a").all_inner_texts()
    # Molde's project on goal 11 (beside the demo's own projects for Molde), not Trondheim's.
    assert [t for t in titles if not t.startswith("Demo:")] == ["Luftmålere ved barnehagene"]
    check_fits(page, "/projects/?goal=11&member=1506")
    load(page, site + "/projects/")
    page.fill("input[name=q]", "svevestøv skolestart")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    assert len(page.locator(".project-item").all()) == 2
    page.click("text=Renere luft langs skoleveiene")
    page.wait_for_load_state("networkidle")
    load(page, page.url)
    check_fits(page, "/projects/<id>/")
    assert page.locator("a[href='https://example.org/luft']").count() == 1
    assert page.locator("a[href^='/organisations/']").count() == 1
    assert problems == []
    context.close()


@pytest.mark.skipif(screenshot_dir() is None, reason="BEREKRAFT_SCREENSHOTS is not set")
@pytest.mark.parametrize("language", list(LOCALES))
def test_project_screenshots(site: str, browser: Any, language: str) -> None:
    folder = screenshot_dir()
    assert folder is not None
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = context_for(browser, language, viewport)
        page = context.new_page()
        load(page, site + "/projects/")
        first = page.locator(".project-item h3 a").first.get_attribute("href")
        for path in ("/projects/", first, "/members/5001/action/", "/members/1506/series/en-en-aq-1c-pm2-5/"):
            load(page, site + path)
            page.screenshot(path=str(folder / f"{language}-{name}-{slug(path)}.png"), full_page=True)
        context.close()
