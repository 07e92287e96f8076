"""The pages end to end: stored scores → selector → template, and the same data as .json/.csv."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from berekraft.observations.models import Observation
from berekraft.places.models import Membership
from berekraft.scores.models import ScoreRun

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?measure=goal:3&year=2020",
    "/?measure=series:en-en-aq-1c-pm2-5",
    "/members/5001/",
    "/members/5001/series/ec-ict-ict-1c/",
    "/compare/",
    "/compare/?series=ec-ict-ict-1c&group=kommune&year=2019",
    "/compare/members/?m=5001&m=1103&m=15",
    "/goals/",
    "/goals/3/",
    "/kpis/",
    "/kpis/ec-ict-ict-1c/",
]
EMBEDS = [
    "/embed/map/",
    "/embed/members/5001/wheel/",
    "/embed/members/5001/series/ec-ict-ict-1c/",
    "/embed/compare/?series=ec-ict-ict-1c",
    "/embed/compare/?series=ec-ict-ict-1c&chart=lines",
    "/embed/goals/3/",
]


@pytest.fixture
def en(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def twin(page: str, fmt: str) -> str:
    path, _, query = page.partition("?")
    path = path.rstrip("/") or "/index"
    return f"{path}.{fmt}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_answers_with_demo_label_and_data_links(en: Client, page: str) -> None:
    response = en.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Demonstration data" in html) is (page != "/kpis/")  # the catalogue alone holds no data
    assert f'href="{twin(page, "json")}'.replace("&", "&amp;") in html


@pytest.mark.parametrize("page", PAGES)
def test_json_and_csv_twins_answer_the_same_query(en: Client, page: str) -> None:
    data = json.loads(en.get(twin(page, "json")).content)
    assert data["demonstration_data"] is (page != "/kpis/")
    assert data["rows"], page
    text = en.get(twin(page, "csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(data["rows"])
    assert list(rows[0]) == [c["key"] for c in data["columns"]]


@pytest.mark.parametrize("page", EMBEDS)
def test_embeds_may_be_framed_and_show_one_chart(en: Client, page: str) -> None:
    response = en.get(page)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert response.content.decode().count("data-vega=") == 1


def test_network_home_has_a_card_for_every_member_and_a_map(en: Client) -> None:
    html = en.get("/").content.decode()
    for membership in Membership.objects.select_related("place"):
        assert f'href="/members/{membership.place.code}/"' in html
    assert 'data-vega="spec-map"' in html
    assert "© Kartverket" in html
    assert "member until 2023" in html  # Viken


def test_map_changes_in_place_with_htmx(en: Client) -> None:
    response = en.get("/?measure=dimension:EN", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<section id="map-panel"')
    assert "<html" not in html


def test_member_profile_shows_wheel_goals_focus_and_every_kpi(en: Client) -> None:
    html = en.get("/members/5001/").content.decode()
    assert "Trondheim" in html and "214" in html  # population 214 565
    assert 'data-vega="spec-wheel"' in html
    assert html.count('class="sdg sdg-') == 17
    assert "Where to focus" in html
    rows = json.loads(en.get("/members/5001.json").content)["rows"]
    assert len(rows) == 112  # every KPI series has a row, reported or not
    shown = [r for r in rows if r["value"] is not None]
    assert shown and all(r["demonstration_data"] for r in shown)
    assert html.count('<span class="demo">demo</span>') == sum(r["demonstration_data"] for r in rows)
    assert "no benchmark" in html
    assert "/members/5001/series/en-en-aq-1c-pm2-5/" in html  # a link even where it reports nothing


def test_member_series_has_the_network_median_and_range(en: Client) -> None:
    data = json.loads(en.get("/members/5001/series/ec-ict-ict-1c.json").content)
    rows = data["rows"]
    published = Observation.objects.filter(
        series__code="EC: ICT: ICT: 1C", published_value__isnull=False, place__memberships__isnull=False
    )
    assert [r["year"] for r in rows] == sorted(set(published.values_list("year", flat=True)))
    # A median and range need at least two reporting members (the demo's 2025 has only begun).
    assert all(r["low"] <= r["median"] <= r["high"] for r in rows if r["count"] >= 2)
    assert all(r["median"] is None for r in rows if r["count"] < 2)
    assert any(r["count"] >= 2 for r in rows)
    assert [r for r in rows if r["value"] is not None][-1]["target"] == 100


def test_compare_ranks_members_best_first_by_the_series_direction(en: Client) -> None:
    data = json.loads(en.get("/compare.json?series=ec-ict-ict-1c&group=kommune").content)
    names = [r["name"] for r in data["rows"]]
    assert "Mean" in names and "Median" in names
    assert "Trøndelag" not in names  # a county municipality, not in the group
    html = en.get("/compare/?series=ec-ict-ict-1c&group=kommune").content.decode()
    assert html.count('<td class="num">1</td>') == 1


def test_unknown_codes_are_404s_not_500s(en: Client) -> None:
    for page in (
        "/members/9999/",
        "/goals/18/",
        "/kpis/nope/",
        "/compare/?series=nope",
        "/members/5001/series/x/",
    ):
        assert en.get(page).status_code == 404, page


def test_download_all_is_a_zip_of_tidy_csv_tables(en: Client) -> None:
    response = en.get("/download/berekraft-data.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"README.txt", "members.csv", "series.csv", "targets.csv", "series_scores.csv"} <= names
    assert "Demonstration data" in archive.read("README.txt").decode()
    scores = list(csv.DictReader(io.StringIO(archive.read("series_scores.csv").decode())))
    assert len({r["place"] for r in scores}) == 15


@pytest.mark.parametrize(
    ("page", "limit"),
    [
        ("/", 11),  # + projects per goal
        ("/?measure=series:ec-ict-ict-1c", 12),  # + the series: only the rows shown are read
        ("/members/5001/", 13),  # latest values, counts per year, its local indicators, projects per KPI
        ("/members/5001.json", 11),
        # +2: what members are doing; +1: the member's own scores apart from every member's values
        ("/members/5001/series/ec-ict-ict-1c/", 13),
        ("/compare/", 10),
        ("/compare.json", 10),
        ("/compare/members/?m=5001&m=1103&m=1508&m=15", 10),
        ("/goals/", 10),
        ("/goals/3/", 12),
        ("/kpis/", 6),
        ("/kpis/ec-ict-ict-1c/", 14),  # +1: the years of every member (the page shows 25 members)
        ("/download/berekraft-data.zip", 12),
        ("/embed/map/", 10),
    ],
)
def test_pages_use_a_bounded_number_of_queries(
    en: Client, django_assert_max_num_queries: Any, page: str, limit: int
) -> None:
    with django_assert_max_num_queries(limit):
        assert en.get(page).status_code == 200


def test_pages_carry_etag_and_last_modified_of_the_latest_score_run(en: Client) -> None:
    response = en.get("/members/1103/")
    run = ScoreRun.objects.latest("pk")
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "max-age=60" in response["Cache-Control"]
    again = en.get("/members/1103/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    ScoreRun.objects.create(observations=0, series_scores=0, aggregate_scores=0, seconds=0)
    assert en.get("/members/1103/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
    assert run.pk < ScoreRun.objects.latest("pk").pk


def test_security_headers_and_a_content_security_policy_without_inline_scripts(en: Client) -> None:
    response = en.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("page", [*PAGES, *EMBEDS, "/accounts/login/", "/accounts/reset/"])
def test_pages_have_no_inline_script_or_event_handler(en: Client, page: str) -> None:
    html = en.get(page).content.decode()
    for tag in html.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head
    assert " onclick=" not in html and " onload=" not in html and " onchange=" not in html
    assert " style=" not in html


def test_debug_is_off_unless_asked_for() -> None:
    assert settings.DEBUG is False


def test_public_pages_are_kept_rendered_until_the_next_score_run(
    en: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    from berekraft.web import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.pages.clear()
    first = en.get("/members/1103/")
    with django_assert_num_queries(1):  # the latest score run, nothing else
        again = en.get("/members/1103/")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    ScoreRun.objects.create(observations=0, series_scores=0, aggregate_scores=0, seconds=0)
    fresh = en.get("/members/1103/")  # rendered again: the run is part of the key
    assert fresh["ETag"] != first["ETag"]
    en.force_login(User.objects.create_user("reader"))
    with CaptureQueriesContext(connection) as ctx:
        en.get("/members/1103/")
    assert len(ctx.captured_queries) > 3  # logged-in users always get a fresh page
    pagecache.pages.clear()
