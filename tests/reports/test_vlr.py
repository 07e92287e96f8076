"""The VLR draft: python-docx reads back its sections (after the UNECE/UN DESA outline), a
heading per goal, the indicator annex with the profile twin's values, and its placeholders."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client
from docx import Document

from berekraft.reports.vlr import vlr_docx
from berekraft.web.numbers import format_number
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def drafted(django_db_setup: None, django_db_blocker: object) -> bytes:
    from datetime import UTC

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return vlr_docx(code="5001", year=2024, language="nn", created=datetime(2026, 3, 1, tzinfo=UTC))


def test_the_draft_has_the_sections_of_the_guidelines_and_a_heading_per_goal(drafted: bytes) -> None:
    document = Document(io.BytesIO(drafted))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in ("Innleiing", "Metode og prosess", "Framgang på berekraftsmåla", "Vedlegg: indikatorar"):
        assert section in headings, (section, headings)
    assert sum(1 for h in headings if h.startswith("Berekraftsmål ")) == 17
    assert document.core_properties.language == "nn-NO"
    assert document.core_properties.title.startswith("Trondheim")


def test_the_annex_holds_every_value_of_the_profile_twin(drafted: bytes) -> None:
    document = Document(io.BytesIO(drafted))
    annex = document.tables[-1]
    twin = Client(headers={"Accept-Language": "nn"}).get("/members/5001.json?year=2024").json()["rows"]
    assert len(annex.rows) == len(twin) + 1
    for row, expected in zip(annex.rows[1:], twin, strict=True):
        cells = [c.text for c in row.cells]
        assert expected["code"] in cells[0]
        if expected["value"] is not None:
            assert cells[1].startswith(format_number(expected["value"], "nn")), (cells, expected["value"])
            assert cells[2] == str(expected["year"])


def test_the_member_writes_between_marked_placeholders(drafted: bytes) -> None:
    document = Document(io.BytesIO(drafted))
    marked = [p.text for p in document.paragraphs if p.text.startswith("[") and p.text.endswith("]")]
    assert len(marked) >= 8
    assert len(document.inline_shapes) >= 10  # a chart for each goal with a reported KPI


def test_each_chart_has_a_caption_naming_its_kpi(drafted: bytes) -> None:
    """The chart itself names no KPI: the caption under it does, with its code."""
    document = Document(io.BytesIO(drafted))
    paragraphs = document.paragraphs
    charts = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic")]
    assert len(charts) >= 10
    codes = {r["code"] for r in Client().get("/members/5001.json?year=2024").json()["rows"]}
    for i in charts:
        caption = paragraphs[i + 1]
        assert caption.style.name == "Caption"
        assert "etter år: medlemen" in caption.text, caption.text
        assert any(f"({code})" in caption.text for code in codes), caption.text


def test_kpi_columns_are_wide_enough_for_names(drafted: bytes) -> None:
    """Equal columns broke KPI names inside words; the KPI column is the widest."""
    document = Document(io.BytesIO(drafted))
    for table in document.tables:
        widths = [cell.width for cell in table.rows[1].cells]
        assert all(widths[0] > width for width in widths[1:]), widths


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_draft(drafted: bytes, tmp_path: Path) -> None:
    """LibreOffice (optional: not in CI) opens the draft and writes it as PDF, its headings and
    numbers intact. Its own profile directory: a user's running LibreOffice, or another test run,
    would otherwise hold the default one's lock."""
    source = tmp_path / "vlr.docx"
    source.write_bytes(drafted)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = pdf_text((tmp_path / "vlr.pdf").read_bytes(), tmp_path)
    for heading in ("Innleiing", "Metode og prosess", "Berekraftsmål 11", "Vedlegg: indikatorar"):
        assert heading in text, heading
    twin = Client(headers={"Accept-Language": "nn"}).get("/members/5001.json?year=2024").json()["rows"]
    shown = [r for r in twin if r["value"] is not None and r["unit"] not in ("yes/no", "ja/nei")]
    for r in shown[:20]:
        assert format_number(r["value"], "nn").replace("\u202f", " ") in text, r["code"]
