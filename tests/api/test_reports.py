"""Report downloads from the API: the same bytes as the site's download buttons (one cache entry
made once), in the language asked for, the VLR draft as DOCX, and a 404 or 400 in the one error
shape for an unknown member, a year without values or a format there is none of."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client

from berekraft.reports.downloads import report_key
from berekraft.scores.services import scores_recompute
from tests.api.conftest import as_caller

pytestmark = pytest.mark.django_db


def test_a_snapshot_is_the_same_file_as_the_profile_s_download() -> None:
    site = Client(headers={"Accept-Language": "nn"}).get("/members/5001/report.pdf?year=2024")
    api = as_caller(None).get("/api/v1/reports/snapshot", {"member": "5001", "year": 2024, "lang": "nn"})
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"
    assert api["Content-Disposition"] == site["Content-Disposition"]
    assert api.content == site.content and b"/Lang(nn)" in api.content
    # and the other way round: made by the API, handed out by the site
    first = as_caller(None).get("/api/v1/reports/snapshot", {"member": "1506", "year": 2023, "lang": "nb"})
    again = Client(headers={"Accept-Language": "nb"}).get("/members/1506/report.pdf?year=2023")
    assert first.status_code == 200 and first.content == again.content


def test_the_language_is_the_reader_s_unless_asked_for() -> None:
    reader = Client(headers={"Accept-Language": "nn"})
    by_header = reader.get("/api/v1/reports/snapshot", {"member": "5001", "year": 2024})
    assert by_header.status_code == 200 and b"/Lang(nn)" in by_header.content
    asked = reader.get("/api/v1/reports/snapshot", {"member": "5001", "year": 2024, "lang": "en"})
    assert b"/Lang(en)" in asked.content and asked["Content-Disposition"].endswith('-5001-2024-en.pdf"')


def test_the_vlr_draft_is_a_docx_to_write_in() -> None:
    from docx import Document

    response = as_caller(None).get(
        "/api/v1/reports/snapshot", {"member": "5001", "year": 2024, "lang": "en", "format": "docx"}
    )
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].endswith('berekraft-vlr-5001-2024-en.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings and document.tables
    assert cache.get(report_key("vlr", "5001", 2024, "en")) == response.content


def test_the_network_report_is_the_same_file_as_the_home_s_download_and_kept_until_the_next_run() -> None:
    cache.clear()
    api = as_caller(None).get("/api/v1/reports/network", {"year": 2024, "lang": "nb"})
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    assert api["Content-Disposition"].endswith('berekraft-network-baerekraftsnettverket-2024-nb.pdf"')
    site = Client(headers={"Accept-Language": "nb"}).get("/report.pdf?year=2024")
    assert site.content == api.content
    key = report_key("network", "baerekraftsnettverket", 2024, "nb")
    assert cache.get(key) == api.content
    again = as_caller(None).get(
        "/api/v1/reports/network", {"year": 2024, "lang": "nb"}, headers={"If-None-Match": api["ETag"]}
    )
    assert again.status_code == 304
    scores_recompute()
    assert report_key("network", "baerekraftsnettverket", 2024, "nb") != key  # a new run: a new report


@pytest.mark.parametrize(
    ("url", "status", "where"),
    [
        ("/api/v1/reports/snapshot?member=9999&year=2024", 404, ""),
        ("/api/v1/reports/snapshot?member=0301&year=2024", 404, ""),  # a place, not a member
        ("/api/v1/reports/snapshot?member=5001&year=1990", 404, ""),
        ("/api/v1/reports/snapshot?member=5001&year=1990&format=docx", 404, ""),
        ("/api/v1/reports/snapshot?member=5001", 400, "year"),
        ("/api/v1/reports/snapshot?member=5001&year=abc", 400, "year"),
        ("/api/v1/reports/snapshot?member=5001&year=2024&format=odt", 400, "format"),
        ("/api/v1/reports/snapshot?member=5001&year=2024&lang=se", 400, "lang"),
        ("/api/v1/reports/snapshot?member=50%2F01&year=2024", 400, "member"),
        ("/api/v1/reports/snapshot?year=2024", 400, "member"),
        ("/api/v1/reports/network?year=1990", 404, ""),
        ("/api/v1/reports/network", 400, "year"),
        ("/api/v1/reports/network?year=2024&format=docx", 400, "format"),
    ],
)
def test_bad_report_requests_get_the_one_error_shape(url: str, status: int, where: str) -> None:
    response = as_caller(None).get(url)
    assert response.status_code == status, response.content
    errors = response.json()["errors"]
    assert errors and all(set(e) == {"where", "what", "fix"} and e["what"] for e in errors)
    assert where in errors[0]["where"]
