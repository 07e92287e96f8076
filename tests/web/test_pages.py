"""The two first pages, end to end: stored scores → selector → template."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from berekraft.places.models import Membership

pytestmark = pytest.mark.django_db


def test_network_overview_lists_all_15_members_with_dimension_scores(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for membership in Membership.objects.select_related("place"):
        assert f'href="/members/{membership.place.code}/"' in html
    assert html.count('class="band band-') >= 15 * 4
    assert "Demonstration data" in html
    assert "member until 2023" in html  # Viken


def test_member_profile_shows_each_kpi_with_value_target_band_and_source(client: Client) -> None:
    response = client.get("/members/5001/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trondheim" in html and "214" in html  # population 214 565
    assert "EN: EN: AQ: 1C/PM2.5" in html
    assert html.count('<span class="demo">demo</span>') == 112
    assert "no benchmark" in html
    assert "Demonstration data" in html


def test_unknown_member_is_a_404_not_a_500(client: Client) -> None:
    assert client.get("/members/9999/").status_code == 404


def test_pages_use_a_bounded_number_of_queries(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(8):
        client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/members/1103/")


def test_security_headers_are_set(client: Client) -> None:
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_debug_is_off_unless_asked_for() -> None:
    assert settings.DEBUG is False
