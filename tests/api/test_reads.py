"""Public reads: the API and the pages' .json twins agree (one selector path), pages walk every row
once, conditional GET answers 304, CORS is open for public reads, anonymous callers are rate
limited, and errors have one shape with the right status."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from berekraft.observations.models import Observation
from tests.api.conftest import as_caller

pytestmark = pytest.mark.django_db


def twin(url: str, **headers: str) -> dict[str, Any]:
    response = Client(headers={"Accept-Language": "en", **headers}).get(url)
    assert response.status_code == 200, url
    data: dict[str, Any] = response.json()
    return data


def test_goals_agree_with_the_goals_page() -> None:
    page = {
        r["goal"]: (r["name"], r["series"], r["scored_members"], r["median"])
        for r in twin("/goals.json")["rows"]
    }
    api = {
        g["number"]: (g["name"], g["series"], g["scored_members"], g["median"])
        for g in as_caller(None).get("/api/v1/goals").json()
    }
    assert api == page and len(api) == 17


def test_indicators_agree_with_the_kpi_pages() -> None:
    page = {
        r["code"]: (r["name"], r["unit"], r["direction"], r["series"]) for r in twin("/kpis.json")["rows"]
    }
    api = {
        i["code"]: (i["name"], i["unit"], i["direction"], len(i["series"]))
        for i in as_caller(None).get("/api/v1/indicators").json()
    }
    assert api == page and len(api) == 91


@pytest.mark.parametrize("slug", ["en-en-aq-1c", "ec-ict-ict-1c", "sc-eh-ed-1c"])
def test_one_kpi_for_every_member_and_year_agrees_with_its_page(slug: str) -> None:
    page = twin(f"/kpis/{slug}.json")
    expected = {
        (r["series"], r["code"], int(year)): value
        for r in page["rows"]
        for year, value in r.items()
        if year.isdigit() and value is not None
    }
    items = as_caller(None).get("/api/v1/observations", {"indicator": slug, "limit": 1000}).json()["items"]
    got = {(o["series"], o["member"], o["year"]): o["value"] for o in items}
    members = {r["code"] for r in page["rows"]}
    assert {k: v for k, v in got.items() if k[1] in members} == expected and expected


def test_a_member_profile_agrees_with_its_series_scores() -> None:
    page = {
        r["code"]: (r["year"], r["value"], r["band"], r["trend"])
        for r in twin("/members/5001.json")["rows"]
        if r["year"]
    }
    items = as_caller(None).get("/api/v1/scores/series", {"member": "5001", "limit": 1000}).json()["items"]
    latest: dict[str, Any] = {}
    for s in items:  # ordered by year within a series: the last one is the latest
        latest[s["series"]] = (s["year"], s["value"], s["points"], s["trend"])
    assert latest == page


def test_coverage_agrees_with_its_page_and_is_for_verifiers_only(
    people: dict[str, Any], tokens: dict[str, str]
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["verifier"])
    page = client.get("/coverage.json").json()
    api = as_caller(tokens["verifier"]).get("/api/v1/coverage").json()
    assert {r["code"]: r["verified"] for r in page["rows"]} == {
        r["member"]: r["totals"]["verified"] for r in api["rows"]
    }
    assert as_caller(tokens["editor_a"]).get("/api/v1/coverage").status_code == 403
    assert as_caller(None).get("/api/v1/coverage").status_code == 401


def test_walking_the_cursor_visits_every_published_value_once() -> None:
    public = as_caller(None)
    seen: list[int] = []
    query: dict[str, Any] = {"member": "5001", "limit": 97, "sort": "year"}
    while True:
        page = public.get("/api/v1/observations", query).json()
        seen += [o["id"] for o in page["items"]]
        if page["next"] is None:
            break
        query["cursor"] = page["next"]
    published = Observation.objects.filter(place__code="5001", published_value__isnull=False)
    assert sorted(seen) == sorted(published.values_list("pk", flat=True)) and len(seen) == len(set(seen))


def test_drafts_are_not_public_but_their_editor_sees_them(tokens: dict[str, str]) -> None:
    query = {"member": "5001", "year": 2025, "status": "draft", "limit": 1000}
    drafts = Observation.objects.filter(place__code="5001", year=2025, status="draft").count()
    assert drafts
    assert as_caller(None).get("/api/v1/observations", query).json()["items"] == []
    assert len(as_caller(tokens["editor_a"]).get("/api/v1/observations", query).json()["items"]) == drafts
    assert as_caller(tokens["editor_b"]).get("/api/v1/observations", query).json()["items"] == []


def test_a_repeated_read_with_its_etag_is_304_and_public_reads_are_open_to_every_origin() -> None:
    public = as_caller(None)
    first = public.get("/api/v1/indicators/en-en-aq-1c")
    assert first["Access-Control-Allow-Origin"] == "*" and "public" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    again = public.get("/api/v1/indicators/en-en-aq-1c", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other = public.get("/api/v1/indicators/ec-ict-ict-1c", headers={"If-None-Match": first["ETag"]})
    assert other.status_code == 200


def test_a_token_s_answers_are_private_and_not_open_to_other_origins(tokens: dict[str, str]) -> None:
    response = as_caller(tokens["editor_a"]).get("/api/v1/goals")
    assert "private" in response["Cache-Control"] and not response.has_header("Access-Control-Allow-Origin")


@override_settings(API_ANON_REQUESTS=3)
def test_anonymous_requests_are_rate_limited_and_a_token_is_not(tokens: dict[str, str]) -> None:
    public = as_caller(None)
    assert [public.get("/api/v1/networks").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = public.get("/api/v1/networks")
    assert refused.status_code == 429 and refused["Retry-After"] and refused.json()["errors"][0]["fix"]
    assert as_caller(tokens["public"]).get("/api/v1/networks").status_code == 200


@pytest.mark.parametrize(
    ("url", "status", "where"),
    [
        ("/api/v1/observations?series=no-such-series", 404, "series"),
        ("/api/v1/observations?indicator=XX: 1", 404, "indicator"),
        ("/api/v1/observations?goal=18", 404, ""),
        ("/api/v1/observations?cursor=%25%25", 400, "cursor"),
        ("/api/v1/observations?limit=0", 400, "limit"),
        ("/api/v1/observations?year=abc", 400, "year"),
        ("/api/v1/observations?year_from=2024&year_to=2020", 400, "year_from"),
        ("/api/v1/observations?status=lost", 400, "status"),
        ("/api/v1/indicators/nope", 404, ""),
        ("/api/v1/places/0000", 404, "code"),
        ("/api/v1/networks/nope", 404, "code"),
        ("/api/v1/goals/99", 404, ""),
    ],
)
def test_bad_reads_get_one_error_shape_with_their_status(url: str, status: int, where: str) -> None:
    response = as_caller(None).get(url)
    assert response.status_code == status, response.content
    errors = response.json()["errors"]
    assert errors and all(set(e) == {"where", "what", "fix"} and e["what"] for e in errors)
    assert where in errors[0]["where"]


def test_writes_need_if_match_and_a_well_formed_one(tokens: dict[str, str]) -> None:
    editor = as_caller(tokens["editor_a"])
    url = "/api/v1/values/5001/ec-i-ws-1c/2025"
    missing = editor.put(url, {"value": "1"}, content_type="application/json")
    assert missing.status_code == 428 and missing.json()["errors"][0]["where"] == "If-Match"
    garbled = editor.put(url, {"value": "1"}, content_type="application/json", headers={"If-Match": "soon"})
    assert garbled.status_code == 400
    broken = editor.put(url, "{not json", content_type="application/json", headers={"If-Match": "0"})
    assert broken.status_code in (400, 422) and "errors" in broken.json()
    invalid = editor.put(url, {"value": "410"}, content_type="application/json", headers={"If-Match": "0"})
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["what"]
    assert not Observation.objects.filter(
        place__code="5001", series__code="EC: I: WS: 1C", year=2025
    ).exists()


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_too_large_upload_is_413_and_stores_nothing(tokens: dict[str, str]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"place,indicator,series,year,value\n" + b"5001,EC: I: WS: 1C,,2024,41\n" * 200
    response = as_caller(tokens["editor_a"]).post(
        "/api/v1/imports", {"file": SimpleUploadedFile("big.csv", body)}
    )
    assert response.status_code == 413 and response.json()["errors"][0]["where"] == "file"


def test_the_docs_are_served_from_our_own_static_files_inside_the_csp() -> None:
    page = Client().get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "unsafe-inline" not in page["Content-Security-Policy"]
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "<script>" not in html
    assert "cdn" not in html.lower()
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/observations" in schema["paths"]
