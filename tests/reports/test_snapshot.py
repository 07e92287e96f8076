"""The member snapshot PDF: the numbers of the profile's JSON twin for the same member and year,
written as the report's language writes them; the same bytes for the same data and date."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from berekraft.reports.snapshot import snapshot_pdf
from berekraft.web.numbers import format_number, format_percent
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def twin(code: str, year: int, language: str) -> dict[str, object]:
    response = Client(headers={"Accept-Language": language}).get(f"/members/{code}.json?year={year}")
    assert response.status_code == 200
    return dict(response.json())


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("code", "year", "language"), [("5001", 2024, "nb"), ("1103", 2023, "nn"), ("4204", 2024, "en")]
)
def test_the_snapshot_shows_every_value_of_the_profile_twin(
    code: str, year: int, language: str, pinned: datetime, tmp_path: Path
) -> None:
    text = pdf_text(snapshot_pdf(code=code, year=year, language=language, created=pinned), tmp_path)
    rows = twin(code, year, language)["rows"]
    assert isinstance(rows, list)
    shown = [r for r in rows if r["value"] is not None]
    assert len(shown) > 30
    for r in shown:
        if r["unit"] in ("yes/no", "ja/nei"):
            continue  # written "ja" or "nei", as the member series page labels it
        assert plain(format_number(r["value"], language)) in text, (r["code"], r["value"])
        if r["achievement"] is not None:
            assert plain(format_percent(r["achievement"], language)) in text, (r["code"], r["achievement"])
        if r["network_index"] is not None:
            assert plain(format_number(r["network_index"], language)) in text, r["code"]
    # Numbers of ours as the language writes them (the cited target sources, in their own words
    # after the method heading, aside): no decimal point in Norwegian, no decimal comma in English.
    ours = text[: text.index("Method" if language == "en" else "Metode")]
    wrong = r"\d+,\d{1,2}(?!\d) ?%" if language == "en" else r"(?<![A-Za-z])\d+\.\d+ ?%"
    assert not re.search(wrong, ours), re.findall(".{20}" + wrong, ours)


@pytest.mark.parametrize(
    ("language", "water", "clockwise"),
    [
        (
            "nb",
            ("IKT · Vann og avløp", "Infrastruktur · Vann og avløp"),
            "Med klokka fra toppen: Økonomi, Miljø",
        ),
        (
            "nn",
            ("IKT · Vatn og avløp", "Infrastruktur · Vatn og avløp"),
            "Med klokka frå toppen: Økonomi, Miljø",
        ),
        (
            "en",
            ("ICT · Water and Sanitation", "Infrastructure · Water and Sanitation"),
            "Clockwise from the top: Economy, Environment",
        ),
    ],
)
def test_categories_of_the_same_name_are_told_apart_by_their_sub_dimension(
    language: str, water: tuple[str, str], clockwise: str, pinned: datetime, tmp_path: Path
) -> None:
    """U4SSC has "Water and Sanitation" under ICT and under Infrastructure: each KPI table's
    category heading names its sub-dimension; the wheel's caption says what paper cannot hover."""
    text = pdf_text(snapshot_pdf(code="5001", year=2024, language=language, created=pinned), tmp_path)
    for heading in water:
        assert heading in text, heading
    assert clockwise in text


def test_the_snapshot_names_the_member_year_and_data_status(pinned: datetime, tmp_path: Path) -> None:
    text = pdf_text(snapshot_pdf(code="5001", year=2024, language="nb", created=pinned), tmp_path)
    assert "Trondheim" in text and "2024" in text
    assert "Demonstrasjonsdata" in text  # the demo label
    assert "1.3.2026" in text  # the creation date, written the Norwegian way


def test_every_page_carries_the_demonstration_label(pinned: datetime, tmp_path: Path) -> None:
    path = tmp_path / "s.pdf"
    path.write_bytes(snapshot_pdf(code="1506", year=2024, language="nn", created=pinned))
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(path)).group(1))  # type: ignore[union-attr]
    assert pages >= 5
    for page in range(1, pages + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True
        ).stdout
        assert "Demonstrasjonsdata" in out, page
        assert f"{page} / {pages}" in out, page  # page numbers


def _pdfinfo(path: Path) -> str:
    env = {**os.environ, "TZ": "UTC"}
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, env=env).stdout


def test_the_pdf_has_title_language_and_tags(pinned: datetime, tmp_path: Path) -> None:
    path = tmp_path / "s.pdf"
    path.write_bytes(snapshot_pdf(code="5001", year=2024, language="nn", created=pinned))
    info = _pdfinfo(path)
    assert re.search(r"Title:\s+Trondheim", info)
    assert re.search(r"Tagged:\s+yes", info)
    assert "CreationDate:    Sun Mar  1 12:00:00 2026 UTC" in info
    assert b"/Lang(nn)" in path.read_bytes()  # the catalogue's document language
    assert b"<pdfuaid:part>1</pdfuaid:part>" in path.read_bytes()  # written as PDF/UA-1


def test_same_data_and_date_give_the_same_bytes(pinned: datetime) -> None:
    first = snapshot_pdf(code="5001", year=2024, language="nb", created=pinned)
    again = snapshot_pdf(code="5001", year=2024, language="nb", created=pinned)
    assert first == again


def test_a_member_with_data_only_to_2023_gets_that_year(pinned: datetime, tmp_path: Path) -> None:
    """Viken (30) left the network at the end of 2023: its 2023 snapshot has its values."""
    text = pdf_text(snapshot_pdf(code="30", year=2023, language="nb", created=pinned), tmp_path)
    assert "Viken" in text
    rows = twin("30", 2023, "nb")["rows"]
    assert isinstance(rows, list)
    for r in rows:
        if r["value"] is not None:
            assert plain(format_number(r["value"], "nb")) in text, r["code"]
    later = pdf_text(snapshot_pdf(code="30", year=2024, language="nb", created=pinned), tmp_path)
    assert "Viken var medlem av nettverket til og med 2023" in later


def test_the_command_writes_a_pdf_and_refuses_an_unknown_member(tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    call_command("report", "--member", "5001", "--year", "2024", "--lang", "en", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="9999"):
        call_command("report", "--member", "9999", "--year", "2024", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_a_member_with_most_values_missing_gets_a_snapshot_that_says_so(
    pinned: datetime, tmp_path: Path
) -> None:
    """Real life: a member that reported a handful of series. The missing ones are listed under
    "not reported", the tables still show every KPI, nothing fails."""
    from berekraft.scores.models import AggregateScore, SeriesScore

    kept = list(
        SeriesScore.objects.filter(place__code="1833").order_by("series_id").values_list("pk", flat=True)
    )
    SeriesScore.objects.filter(place__code="1833").exclude(pk__in=kept[:40]).delete()
    AggregateScore.objects.filter(place__code="1833").delete()
    text = pdf_text(snapshot_pdf(code="1833", year=2024, language="nn", created=pinned), tmp_path)
    assert "Rana" in text and "Ikkje rapportert" in text
    rows = twin("1833", 2024, "nn")["rows"]
    assert isinstance(rows, list)
    assert sum(1 for r in rows if r["value"] is None) > 60
    for r in rows:
        if r["value"] is not None:
            assert plain(format_number(r["value"], "nn")) in text, r["code"]


def test_the_snapshot_lists_the_members_published_projects_on_its_focus_kpis(
    pinned: datetime, tmp_path: Path
) -> None:
    from django.utils import timezone

    from berekraft.action.models import Project, ProjectSeries
    from berekraft.catalogue.models import Series
    from berekraft.places.models import Place
    from berekraft.reports.snapshot import load_profile

    profile, _cat = load_profile(code="5001", year=2024, language="nb")
    focus = (profile.focus.low + profile.focus.deteriorating)[0].info
    place = Place.objects.get(code="5001")
    project = Project.objects.create(member=place, title="Tiltak mot fokus", published_at=timezone.now())
    ProjectSeries.objects.create(project=project, series=Series.objects.get(pk=focus.id), expected="up")
    text = pdf_text(snapshot_pdf(code="5001", year=2024, language="nb", created=pinned), tmp_path)
    assert f"Tiltak mot fokus — {focus.code}" in text
