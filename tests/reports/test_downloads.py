"""The download buttons: the member profile and the network home link their PDF, made on request
in the reader's language and kept in the cache until the next score run."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from berekraft.reports.downloads import report_key
from berekraft.scores.services import scores_recompute

pytestmark = pytest.mark.django_db


def test_the_profile_links_its_snapshot_and_the_snapshot_downloads() -> None:
    client = Client(headers={"Accept-Language": "nn"})
    page = client.get("/members/5001/").content.decode()
    assert "/members/5001/report.pdf?year=2024" in page
    response = client.get("/members/5001/report.pdf?year=2024")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('berekraft-snapshot-5001-2024-nn.pdf"')
    assert response.content.startswith(b"%PDF") and b"/Lang(nn)" in response.content


def test_the_home_links_the_network_report() -> None:
    client = Client(headers={"Accept-Language": "nb"})
    page = client.get("/").content.decode()
    assert "/report.pdf?year=2024" in page
    response = client.get("/report.pdf?year=2024")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_report_is_kept_until_the_next_score_run() -> None:
    cache.clear()
    client = Client(headers={"Accept-Language": "nb"})
    first = client.get("/members/1506/report.pdf?year=2023").content
    key = report_key("snapshot", "1506", 2023, "nb")
    assert cache.get(key) == first
    assert client.get("/members/1506/report.pdf?year=2023").content == first  # from the cache
    scores_recompute()
    assert report_key("snapshot", "1506", 2023, "nb") != key  # a new run: a new report


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/members/5001/report.pdf", 400),
        ("/members/5001/report.pdf?year=abc", 400),
        ("/members/9999/report.pdf?year=2024", 404),
        ("/members/5001/report.pdf?year=1990", 404),
        ("/report.pdf?year=1990", 404),
    ],
)
def test_bad_requests_get_a_clear_answer_not_a_server_error(url: str, status: int) -> None:
    assert Client().get(url).status_code == status
