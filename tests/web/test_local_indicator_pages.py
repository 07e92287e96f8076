"""Local indicators on the pages: on the member's profile (marked local) and a page of their own;
never in /kpis/, compare, goals, the map or the data download. Written in the workspace by the
member's editors and the admin only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from berekraft.catalogue.local import local_indicator_save
from berekraft.catalogue.models import Indicator
from berekraft.core.local import LocalIndicatorInput
from berekraft.observations.imports import import_table
from berekraft.places.models import Place
from berekraft.scores.services import scores_recompute
from tests.tables import table

pytestmark = pytest.mark.django_db

CODE = "LOCAL:5001:sykkelveg"


@pytest.fixture
def local(db: None) -> Indicator:
    indicator = local_indicator_save(
        member=Place.objects.get(code="5001"),
        user=None,
        given=LocalIndicatorInput(
            slug="sykkelveg",
            name_nb="Sykkelveg per innbygger",
            name_en="Cycle lanes per inhabitant",
            unit="m",
            direction="higher",
            definition="Metres of <b>cycle</b> lane per inhabitant.",
            source="Municipal road register",
            target="2",
            target_year="2030",
            target_source="City council 2023, case 87/23",
            goals=("11",),
        ),
    )
    rows = [
        {"place": "5001", "indicator": CODE, "year": y, "value": v}
        for y, v in (("2020", "1"), ("2024", "1.5"))
    ]
    report = import_table(
        table(*rows), file_name="l.csv", checksum="x", reader="test", user=None, publish=True
    )
    assert not report.errors
    scores_recompute()
    return indicator


def en(user: User | None = None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def test_profile_shows_a_local_section_with_definition_target_and_source(local: Indicator) -> None:
    page = en().get("/members/5001/").content.decode()
    section = page.split('id="local"')[1]
    assert "Local indicators" in section
    assert "not compared with other members" in section
    assert "Cycle lanes per inhabitant" in section
    assert "City council 2023, case 87/23" in section
    assert "Municipal road register" in section
    assert "&lt;b&gt;cycle&lt;/b&gt;" in section  # text is escaped
    assert "75" in section  # 1.5 of 2 = 75 % of target
    assert "Cycle lanes" not in page.split('id="local"')[0]  # not among the U4SSC KPIs
    # Another member's profile has no local section at all.
    assert 'id="local"' not in en().get("/members/1506/").content.decode()


def test_local_series_page_and_twins(local: Indicator) -> None:
    page = en().get("/members/5001/local/sykkelveg/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Local indicator" in text and "No network median or rank" in text
    data = json.loads(en().get("/members/5001/local/sykkelveg.json").content)
    by_year = {r["year"]: r for r in data["rows"]}
    assert by_year[2024]["achievement"] == pytest.approx(75.0)
    assert by_year[2024]["target_source"] == "City council 2023, case 87/23"
    assert "sykkelveg" in en().get("/members/5001/local/sykkelveg.csv").content.decode()
    assert en().get("/members/1506/local/sykkelveg/").status_code == 404
    assert en().get("/members/5001/local/nothing/").status_code == 404
    # It is not a U4SSC series page.
    assert en().get("/members/5001/series/local-5001-sykkelveg/").status_code == 404


@pytest.mark.parametrize(
    "page",
    [
        "/kpis/",
        "/kpis.json",
        "/compare/members/?m=5001&m=1506",
        "/compare/members.json?m=5001&m=1506",
        "/goals/11/",
        "/goals/11.json",
        "/coverage.json",
        "/index.json",
    ],
)
def test_not_in_network_pages(local: Indicator, page: str, people: dict[str, User]) -> None:
    response = en(people["verifier"]).get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert "sykkelveg" not in body.lower() and "Cycle lanes" not in body


def test_not_in_the_data_download(local: Indicator) -> None:
    import io
    import zipfile

    response = en().get("/download/berekraft-data.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    for name in archive.namelist():
        assert "LOCAL:" not in archive.read(name).decode(), name


FORM = {
    "slug": "trees",
    "name_nn": "Tre planta",
    "unit": "trees",
    "direction": "higher",
    "target": "1000",
    "target_year": "2030",
    "target_source": "Kommunestyret",
    "goals": ["15"],
}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("admin", True),
        ("editor_a", True),
        ("verifier", False),
        ("editor_b", False),
        ("public", False),
        (None, False),
    ],
)
def test_permission_matrix_for_every_write_route(
    local: Indicator, people: dict[str, User], who: str | None, allowed: bool
) -> None:
    client = en(people[who] if who else None)
    for url in ("/workspace/members/5001/local/", "/workspace/members/5001/local/new/"):
        status = client.get(url).status_code
        assert status == (200 if allowed else 302 if who is None else 403), url
    response = client.post("/workspace/members/5001/local/new/", FORM)
    assert response.status_code == (302 if allowed else 302 if who is None else 403)
    assert Indicator.objects.filter(code="LOCAL:5001:trees").exists() is allowed
    response = client.post("/workspace/members/5001/local/sykkelveg/", {**FORM, "target": "3"})
    target = local.series.get().targets.get().value
    assert target == (3.0 if allowed else 2.0)


def test_form_shows_every_problem_at_its_field_and_saves_nothing(
    people: dict[str, User], local: Indicator
) -> None:
    client = en(people["editor_a"])
    bad: dict[str, Any] = {
        "slug": "Bad Code",
        "unit": "",
        "direction": "range",
        "target_lower": "5",
        "target_upper": "1",
    }
    response = client.post("/workspace/members/5001/local/new/", bad)
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "is not a short code",
        "Give a name in at least one language",
        "Give the unit",
        "is not above the lower bound (5)",
    ):
        assert message in page
    assert Indicator.objects.filter(owner__isnull=False).count() == 1


def test_editor_enters_a_value_for_it_in_the_workspace(people: dict[str, User], local: Indicator) -> None:
    client = en(people["editor_a"])
    page = client.get("/workspace/members/5001/2025/").content.decode()
    assert CODE in page
    series = local.series.get()
    response = client.post(f"/workspace/members/5001/2025/{series.pk}/", {"version": 0, "value": "1,7"})
    assert response.status_code == 302
    assert series.observations.get(year=2025).value == 1.7
    # Molde's editor does not see it, and cannot write it.
    molde = en(people["editor_b"])
    assert CODE not in molde.get("/workspace/members/1506/2025/").content.decode()
    response = molde.post(f"/workspace/members/1506/2025/{series.pk}/", {"version": 0, "value": "1"})
    assert "is a local indicator of" in response.content.decode()
    assert not series.observations.filter(place__code="1506").exists()


def test_profile_queries_do_not_grow_with_the_number_of_local_indicators(local: Indicator) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert en().get("/members/5001/").status_code == 200
        return len(queries)

    one = count()
    for n in range(4):
        local_indicator_save(
            member=Place.objects.get(code="5001"),
            user=None,
            given=LocalIndicatorInput(slug=f"extra-{n}", name_nb=f"Ekstra {n}", unit="%", direction="lower"),
        )
    assert count() == one
