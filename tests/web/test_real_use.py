"""The site in its first real reporting year: partial data, members with no scores, places that
are not members. Every page answers (no 500), and shows what is true about the partial year."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from berekraft.observations.imports import import_table
from berekraft.observations.models import Observation
from berekraft.observations.workflow import observations_submit, observations_verify
from berekraft.places.models import Membership, Network, Place
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.scores.services import scores_recompute
from tests.tables import table
from tests.web.walk import assert_site_answers

pytestmark = pytest.mark.django_db

# Six 2025 values for Trondheim (5001): economy and environment only, so society has no score.
SIX_2025 = [
    ("EC: I: WS: 1C", "", "41"),
    ("EN: EN: AQ: 1C", "PM2.5", "6.5"),
    ("EC: ICT: ICT: 1C", "", "97"),
    ("EC: P: EM: 1C", "", "70"),
    ("EC: I: ES: 1C", "", "99"),
    ("EN: EN: AQ: 1C", "PM10", "14"),
]


@pytest.fixture
def en() -> Client:
    return Client(headers={"Accept-Language": "en"})


def partial_2025(people: dict[str, User]) -> list[Observation]:
    """An editor imports six 2025 values for Trondheim and submits; the verifier verifies five."""
    rows = [
        {"place": "5001", "indicator": i, "series": s, "year": "2025", "value": v} for i, s, v in SIX_2025
    ]
    report = import_table(
        table(*rows), file_name="2025.csv", checksum="x", reader="test", user=people["editor_a"]
    )
    assert report.ok, report.problems
    trondheim = Place.objects.get(code="5001")
    assert observations_submit(place=trondheim, year=2025, user=people["editor_a"]) == 6
    submitted = list(Observation.objects.filter(place=trondheim, year=2025).order_by("pk"))
    assert observations_verify(ids=[o.pk for o in submitted[:5]], user=people["verifier"]) == 5
    return submitted


def test_partial_year_keeps_home_and_profile_up(people: dict[str, User], en: Client) -> None:
    partial_2025(people)
    for page in ("/", "/?year=2025", "/?year=2024", "/members/5001/", "/members/5001.json"):
        assert en.get(page).status_code == 200, page
    assert_site_answers(en, verifier=people["verifier"])
