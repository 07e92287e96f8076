"""Integer parameters in queries and paths: anything that is not a plausible number is a 400 or a
404 with the site's error page, never a 500 (``str.isdigit`` accepts "²"; int() accepts 10**20)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from berekraft.observations.models import Observation

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "abc", "99999999999999999999", "-1", "0", "10000", "2024.5", "٢٠٢٤", "1e3", "2024x"]
YEAR_PAGES = [
    "/",
    "/index.json",
    "/compare/",
    "/compare.csv",
    "/embed/map/",
    "/embed/compare/",
    "/projects/",
    "/projects.csv",
]


@pytest.fixture
def en() -> Client:
    return Client(headers={"Accept-Language": "en"}, raise_request_exception=False)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("page", YEAR_PAGES)
def test_a_year_that_is_not_a_year_is_a_400(en: Client, page: str, value: str) -> None:
    response = en.get(page, {"year": value})
    assert response.status_code == 400, (page, value)
    assert "year" in response.content.decode()


def test_a_plausible_year_without_data_falls_back_to_the_latest(en: Client) -> None:
    assert en.get("/", {"year": "2099"}).status_code == 200
    assert en.get("/", {"year": ""}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/goals/99999999999999999999/",
        "/embed/goals/99999999999999999999/",
        "/goals/0/",
        "/workspace/members/5001/99999999999999999999/",
        "/workspace/members/5001/100000000000000000000/template.xlsx",
        "/workspace/members/5001/2024/99999999999999999999/",
        "/workspace/imports/99999999999999999999/undo/",
        "/projects/99999999999999999999/",
        "/projects/0/",
        "/organisations/99999999999999999999/",
        "/involvement/99999999999999999999.json",
    ],
)
def test_huge_numbers_in_paths_are_404s(people: dict[str, User], path: str) -> None:
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(people["admin"])
    assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-3"])
def test_a_verifier_posting_a_bad_observation_id_gets_a_400(people: dict[str, User], value: str) -> None:
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(people["verifier"])
    response = client.post("/workspace/verify/", {"observation": [value]})
    assert response.status_code == 400
    assert not Observation.objects.filter(status="verified", updated_by=people["verifier"]).exists()


@pytest.mark.parametrize("path", ["/coverage/", "/coverage.json"])
def test_coverage_refuses_a_bad_year(people: dict[str, User], path: str) -> None:
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(people["verifier"])
    assert client.get(path, {"year": "²"}).status_code == 400


PUBLIC = [
    "/",
    "/index.json",
    "/members/5001/",
    "/members/5001/series/ec-ict-ict-1c/",
    "/compare/",
    "/compare.csv",
    "/compare/members/",
    "/goals/",
    "/goals/3/",
    "/kpis/",
    "/kpis/ec-ict-ict-1c/",
    "/embed/map/",
    "/embed/compare/",
    "/embed/goals/3/",
    "/projects/",
    "/projects.csv",
    "/members/5001/action/",
]
NAMES = ["year", "measure", "series", "group", "m", "chart", "observation"]
NAMES += ["member", "goal", "target", "kpi", "status", "partner_kind", "method", "q", "page"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    page=st.sampled_from(PUBLIC),
    query=st.dictionaries(
        st.sampled_from(NAMES),
        st.one_of(st.text(max_size=30), st.integers().map(str), st.sampled_from(HOSTILE)),
        max_size=4,
    ),
)
def test_no_query_value_makes_a_public_page_fail(page: str, query: dict[str, str]) -> None:
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    status = client.get(page, query).status_code
    assert status in (200, 400, 404), (page, query, status)
