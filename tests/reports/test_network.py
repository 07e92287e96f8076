"""The network report PDF: members side by side, the best value of each KPI with who has it, the
network's mean and median as the compare page's JSON twin shows them for the same year."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client

from berekraft.reports import projects
from berekraft.reports.network import network_pdf
from berekraft.web.numbers import format_number
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

SERIES = ["ec-ict-ict-1c", "en-en-aq-1c-pm2-5", "sc-eh-ed-2c"]


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_the_report_shows_mean_median_and_best_value_as_the_compare_twin(
    pinned: datetime, tmp_path: Path
) -> None:
    text = pdf_text(network_pdf(year=2024, language="nb", created=pinned), tmp_path)
    client = Client(headers={"Accept-Language": "nb"})
    for slug in SERIES:
        table = client.get(f"/compare.json?series={slug}&year=2024").json()
        rows = table["rows"]
        values = [r["2024"] for r in rows[:-2] if r.get("2024") is not None]
        mean, median = rows[-2]["2024"], rows[-1]["2024"]
        assert len(values) >= 2, slug
        assert plain(format_number(mean, "nb")) in text, (slug, mean)
        assert plain(format_number(median, "nb")) in text, (slug, median)
        best = max(values) if not slug.startswith("en-en-aq") else min(values)  # PM2.5: lower is better
        assert plain(format_number(best, "nb")) in text, (slug, best)


def test_members_of_the_year_only(pinned: datetime, tmp_path: Path) -> None:
    """Viken (member until 2023) is in the 2023 report and not in the 2024 one."""
    text_2024 = pdf_text(network_pdf(year=2024, language="nn", created=pinned), tmp_path)
    text_2023 = pdf_text(network_pdf(year=2023, language="nn", created=pinned), tmp_path)
    assert "Trondheim" in text_2024 and "Viken" not in text_2024
    assert "Viken" in text_2023
    assert "nettverksrapport 2024" in text_2024


def test_published_projects_are_listed_per_goal_and_drafts_are_not(pinned: datetime, tmp_path: Path) -> None:
    from django.utils import timezone

    from berekraft.action.models import Project
    from berekraft.catalogue.models import Goal
    from berekraft.places.models import Place

    text = pdf_text(network_pdf(year=2024, language="nb", created=pinned), tmp_path)
    assert "Ingen medlemmer har publisert prosjekter" in text  # none yet: the section says so
    place = Place.objects.get(code="5001")
    shown = Project.objects.create(
        member=place, title="Sykkelveier langs Nidelva", published_at=timezone.now()
    )
    draft = Project.objects.create(member=place, title="Hemmelig utkast")
    for project in (shown, draft):
        project.goals.add(Goal.objects.get(number=11))
    assert [p.title for p in projects.network_projects_by_goal(places=[place])[11]] == [shown.title]
    text = pdf_text(network_pdf(year=2024, language="nb", created=pinned), tmp_path)
    heading = "Bærekraftsmål 11: Bærekraftige byer og lokalsamfunn"  # the goal named in Norwegian
    assert heading in text and "Trondheim: Sykkelveier langs Nidelva" in text
    assert text.index(heading) < text.index("Trondheim: Sykkelveier langs Nidelva")
    assert "Hemmelig utkast" not in text


@pytest.mark.parametrize(("language", "head"), [("nb", "Mål 7"), ("nn", "Mål 7"), ("en", "SDG 7")])
def test_the_goal_columns_are_headed_in_the_reports_language(
    language: str, head: str, pinned: datetime, tmp_path: Path
) -> None:
    text = pdf_text(network_pdf(year=2024, language=language, created=pinned), tmp_path)
    assert f"{head} " in text
    if language != "en":
        assert "SDG 7" not in text


def test_same_data_and_date_give_the_same_bytes(pinned: datetime) -> None:
    assert network_pdf(year=2024, language="nb", created=pinned) == network_pdf(
        year=2024, language="nb", created=pinned
    )


@pytest.mark.parametrize(
    ("status", "published", "shown"),
    [
        ("verified", True, "verified"),
        ("draft", True, "verified"),  # a published value being edited is still published
        ("submitted", False, "reported"),
        ("returned", False, "reported"),
        ("missing", False, "missing"),
    ],
)
def test_coverage_shows_the_public_published_reported_or_missing(
    status: str, published: bool, shown: str
) -> None:
    from berekraft.reports.network import public_status

    assert public_status(status, published) == shown
