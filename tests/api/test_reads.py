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


@override_settings(PAGE_CACHE_SECONDS=60, API_ANON_REQUESTS=5)
def test_kept_public_answers_end_with_the_next_score_run_and_still_count_against_the_limit(
    tokens: dict[str, str],
) -> None:
    from berekraft.web import pagecache

    pagecache.pages.clear()
    public = as_caller(None)
    submitted = (
        Observation.objects.filter(place__code="5001", status="submitted", published_value__isnull=True)
        .order_by("pk")
        .first()
    )
    assert submitted is not None and submitted.value is not None
    query = {"member": "5001", "year": submitted.year, "limit": 1000}
    before = {o["id"]: o["value"] for o in public.get("/api/v1/observations", query).json()["items"]}
    assert public.get("/api/v1/observations", query).status_code == 200  # kept: no new query needed
    assert (
        as_caller(tokens["verifier"]).post(f"/api/v1/observations/{submitted.pk}/verify").status_code == 200
    )
    after = {o["id"]: o["value"] for o in public.get("/api/v1/observations", query).json()["items"]}
    assert submitted.pk not in before and after[submitted.pk] == submitted.value
    assert [public.get("/api/v1/observations", query).status_code for _ in range(3)] == [200, 200, 429]


def test_the_169_sdg_targets_with_their_official_texts() -> None:
    from berekraft.core.sdg_targets import load_sdg_targets

    published = {t.code: t.text_en for t in load_sdg_targets()}
    english = as_caller(None).get("/api/v1/sdg-targets").json()
    assert len(english) == 169 and {t["code"]: t["text"] for t in english} == published
    goal = as_caller(None).get("/api/v1/goals/11").json()
    assert "11.6" in [t["code"] for t in goal["targets"]] and all(t["goal"] == 11 for t in goal["targets"])


# The action registers: the API and the /projects/ pages read through the same selectors.


def _page_ids(url: str) -> list[int]:
    """Every project id the page lists for ``url``, walking its pages (25 each; a page past the
    last is the last)."""
    ids: list[int] = []
    page = 1
    while True:
        separator = "&" if "?" in url else "?"
        rows = twin(f"{url}{separator}page={page}")["rows"]
        got = [r["id"] for r in rows]
        if page > 1 and got and got[-1] == ids[-1]:
            break
        ids += got
        if len(rows) < 25:
            break
        page += 1
    return ids


def _api_ids(query: str, limit: int) -> tuple[list[int], set[int]]:
    """Every project id the API lists for ``query``, walking its cursors, and the counts it gave."""
    ids: list[int] = []
    counts: set[int] = set()
    cursor = ""
    while True:
        url = f"/api/v1/projects?{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = as_caller(None).get(url)
        assert response.status_code == 200, (url, response.content)
        page = response.json()
        ids += [p["id"] for p in page["items"]]
        counts.add(page["count"])
        if page["next"] is None:
            return ids, counts
        cursor = page["next"]


def test_the_project_list_agrees_with_the_projects_page_for_every_filter(registers: dict[str, Any]) -> None:
    from berekraft.web.selectors.common import series_slug

    kpi = series_slug(registers["series"][0])
    queries = [
        "",
        "goal=14",
        "goal=11&year=2025",
        "member=1506",
        "member=5001&status=planned",
        "status=ongoing",
        "target=11.6",
        f"kpi={kpi}",
        "kpi=en-en-aq-1c",  # an indicator: any of its series
        "partner_kind=voluntary",
        "method=public_meeting",
        "year=2021",
        "q=fjord",
        "q=Demo",
        "q=%21%21",  # punctuation only: nothing, as on the page
        "goal=",  # the form's "All"
    ]
    for query in queries:
        page = _page_ids(f"/projects.json?{query}" if query else "/projects.json")
        api, counts = _api_ids(query, limit=7)
        assert api == page, query
        assert counts == {len(page)}, query
    assert len(_page_ids("/projects.json")) > 25  # the walk crossed pages
    assert registers["project"].pk in _page_ids("/projects.json?q=fjord")


def test_a_project_agrees_with_its_page(registers: dict[str, Any]) -> None:
    from berekraft.action.models import Project

    sample = [
        registers["project"].pk,
        *Project.objects.filter(is_demo=True).order_by("pk").values_list("pk", flat=True)[::9],
    ]
    for pk in sample:
        rows = twin(f"/projects/{pk}.json")["rows"]
        page = {
            (r["section"], r["name"], r["value"], r["detail"]) for r in rows if r["section"] in _LABEL_FREE
        }
        api = as_caller(None).get(f"/api/v1/projects/{pk}").json()
        assert _facts(api) == page, pk
        if pk == registers["project"].pk:  # the one with everything: every section compared
            assert {fact[0] for fact in page} == _LABEL_FREE
        title = next(r["value"] for r in rows if r["name"] == "title")
        assert api["title"] == title and api["url"] == f"/projects/{pk}/"


_LABEL_FREE = {"goal", "sdg_target", "kpi", "partner", "deliverable", "timeline", "link", "involvement"}


def _facts(p: dict[str, Any]) -> set[tuple[Any, ...]]:
    """The API's project as the rows of its page's .json twin that hold no translated label."""
    facts: set[tuple[Any, ...]] = set()
    goal_names = {g["number"]: g["name"] for g in as_caller(None).get("/api/v1/goals").json()}
    facts |= {("goal", str(n), goal_names[n], None) for n in p["goals"]}
    facts |= {("sdg_target", t["code"], t["text"], None) for t in p["sdg_targets"]}
    facts |= {
        (
            "kpi",
            k["series"],
            k["expected"],
            f"{k['expected_value'] or ''} {k['expected_year'] or ''}".strip(),
        )
        for k in p["kpis"]
    }
    for partner in p["partners"]:
        roles = {"research": "research partner", "co_creator": "co-creator"}
        facts.add(("partner", partner["name"], roles.get(partner["role"], partner["role"]), partner["kind"]))
    owed = [d for partner in p["partners"] for d in partner["deliverables"]] + p["deliverables"]
    facts |= {("deliverable", d["what"], d["status"], d["due_date"]) for d in owed}
    facts |= {("timeline", t["date"], t["text"], None) for t in p["timeline"]}
    facts |= {("link", link["title"], link["url"], None) for link in p["links"]}
    facts |= {("involvement", i["title"], i["method"], i["start_date"]) for i in p["involvement"]}
    return facts


def test_organisations_involvement_and_priorities_agree_with_their_pages(registers: dict[str, Any]) -> None:
    public = as_caller(None)
    org = registers["org"].pk
    page = twin(f"/organisations/{org}.json")["rows"]
    api = public.get(f"/api/v1/organisations/{org}").json()
    assert [(p["id"], p["title"]) for p in api["projects"]] == [(r["id"], r["title"]) for r in page]
    inv = registers["involvement"].pk
    facts = {r["name"]: r["value"] for r in twin(f"/involvement/{inv}.json")["rows"]}
    got = public.get(f"/api/v1/involvement/{inv}").json()
    assert (got["title"], got["participants"], got["asked"], got["outcome"], got["changes"]) == (
        facts["title"],
        facts["participants"],
        facts["asked"],
        facts["outcome"],
        facts["changes"],
    )
    action = [r for r in twin("/members/1506/action.json")["rows"]]
    priorities = public.get("/api/v1/members/1506/priorities").json()
    assert [(p["id"], p["name"], p["url"]) for p in priorities] == [
        (r["id"], r["title"], r["url"]) for r in action if r["kind"] == "priority"
    ]
    listed = public.get("/api/v1/involvement", {"member": "1506", "limit": 1000}).json()["items"]
    assert sorted(i["id"] for i in listed) == sorted(r["id"] for r in action if r["kind"] == "involvement")
