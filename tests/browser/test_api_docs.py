"""/api/v1/docs in Chromium: Swagger UI from our own static files draws the API's operations
under the site's Content-Security-Policy, with no console error (a CSP refusal is one)."""

from __future__ import annotations

from typing import Any

from tests.browser.test_site import wait_until


def test_the_api_docs_draw_inside_the_csp(site: str, page: Any) -> None:
    page.goto(site + "/api/v1/docs", wait_until="networkidle")
    wait_until(page, "() => document.querySelectorAll('.opblock').length >= 19")
    assert "observations" in page.inner_text("#swagger-ui")
    assert page.problems == []
