"""Error pages in the site's look and the reader's language, never Django's bare defaults."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "text"), [("nb", "Fant ikke siden"), ("nn", "Fann ikkje sida"), ("en", "Page not found")]
)
def test_not_found_page_is_translated_and_has_the_navigation(language: str, text: str) -> None:
    response = Client(headers={"Accept-Language": language}).get("/members/9999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html and 'class="main-nav"' in html


def test_forbidden_page_explains_the_role(people: dict[str, object]) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["public"])  # type: ignore[arg-type]
    response = client.get("/workspace/verify/")
    assert response.status_code == 403
    assert "Your role does not give access to this page" in response.content.decode()


def test_a_chart_offers_its_iframe_code() -> None:
    html = Client(headers={"Accept-Language": "en"}).get("/goals/11/").content.decode()
    assert "Code to embed this chart" in html
    assert '&lt;iframe src="http://testserver/embed/goals/11/"' in html
