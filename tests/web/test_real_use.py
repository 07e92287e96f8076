"""The site in its first real reporting year: partial data, members with no scores, places that
are not members. Every page answers (no 500), and shows what is true about the partial year."""

from __future__ import annotations

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
    """An editor imports six 2025 values for Trondheim and submits; the verifier verifies five.

    The demo has 2025 in progress for three members; these tests are about a member's *first*
    values of a new year, so the year starts empty here."""
    Observation.objects.filter(year=2025).delete()
    scores_recompute()
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


@pytest.mark.parametrize("year", [2025, 2026])
def test_workspace_year_with_missing_values_answers(people: dict[str, User], year: int) -> None:
    partial_2025(people)
    editor = Client(headers={"Accept-Language": "en"})
    editor.force_login(people["editor_a"])
    response = editor.get(f"/workspace/members/5001/{year}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<span class="muted">missing</span>') == 112 - (6 if year == 2025 else 0)
    assert f'href="/workspace/members/5001/{year}/1/"' in html  # every series can be entered


def join(code: str) -> Place:
    """A place joins the network today: a member with no values and no scores yet."""
    place = Place.objects.get(code=code)
    Membership.objects.create(
        network=Network.objects.get(code="baerekraftsnettverket"), place=place, kind="kommune"
    )
    return place


def test_a_member_with_no_scores_yet_has_a_profile_and_a_card(people: dict[str, User], en: Client) -> None:
    join("4601")  # Bergen
    assert en.get("/").status_code == 200
    page = en.get("/members/4601/")
    assert page.status_code == 200
    assert "Bergen" in page.content.decode()
    assert_site_answers(en, verifier=people["verifier"], member="4601")


def test_a_place_that_is_not_a_member_and_has_no_data_is_the_sites_404(en: Client) -> None:
    assert not Membership.objects.filter(place__code="0301").exists()
    for page in ("/members/0301/", "/members/0301.json", "/members/0301.csv"):
        response = en.get(page)
        assert response.status_code == 404, page
    assert "Page not found" in en.get("/members/0301/").content.decode()


def test_compare_answers_when_a_member_of_the_group_has_no_value(en: Client) -> None:
    SeriesScore.objects.filter(place__code="1506", series__code="EC: ICT: ICT: 1C").delete()
    for page in (
        "/compare/?series=ec-ict-ict-1c&group=kommune",
        "/compare/?series=ec-ict-ict-1c&group=all&year=2024",
        "/compare.json?series=ec-ict-ict-1c&group=kommune",
        "/embed/compare/?series=ec-ict-ict-1c&chart=lines",
    ):
        assert en.get(page).status_code == 200, page
    # Molde's row says "–" for every year instead of a number.
    html = en.get("/compare/?series=ec-ict-ict-1c&group=kommune").content.decode()
    molde = html.split('<th scope="row">Molde</th>')[1].split("</tr>")[0]
    assert molde.count('<td class="num">–</td>') == molde.count("<td")


def test_a_partial_year_does_not_take_over_the_profile(people: dict[str, User], en: Client) -> None:
    partial_2025(people)
    trondheim = Place.objects.get(code="5001")
    published_2025 = set(
        Observation.objects.filter(place=trondheim, year=2025, status="verified").values_list(
            "series__code", flat=True
        )
    )
    assert len(published_2025) == 5
    data = en.get("/members/5001.json").json()
    rows = data["rows"]
    # Each row shows its own series' latest published value, with that value's year.
    assert {r["code"] for r in rows if r["year"] == 2025} == published_2025
    latest: dict[str, int] = {}
    for code, year in Observation.objects.filter(place=trondheim, published_value__isnull=False).values_list(
        "series__code", "year"
    ):
        latest[code] = max(year, latest.get(code, year))
    assert {r["code"]: r["year"] for r in rows if r["year"] is not None} == latest
    # The headline (wheel, goals, dimensions) is the latest year with enough published values.
    html = en.get("/members/5001/").content.decode()
    assert "<dt>Scores for</dt><dd>2024</dd>" in html
    assert "2025: 5 of 112 values published so far" in html
    # Every row carries the status, quality and source of the value it shows …
    shown = {
        (o.series.code, o.year): o
        for o in Observation.objects.filter(place=trondheim).select_related("series")
    }
    for r in rows:
        if r["year"] is None:
            continue
        obs = shown[(r["code"], r["year"])]
        assert (r["status"], r["quality"], r["source"]) == (obs.status, obs.quality, obs.source), r["code"]
        # … and is demonstration data exactly when the value shown is.
        assert r["demonstration_data"] is (obs.origin == "demo"), r["code"]
    assert sum(r["demonstration_data"] for r in rows if r["year"] is not None) == len(latest) - 5


def test_coverage_counts_only_members_of_that_year(people: dict[str, User]) -> None:
    partial_2025(people)
    verifier = Client(headers={"Accept-Language": "en"})
    verifier.force_login(people["verifier"])
    rows_2025 = {r["code"]: r for r in verifier.get("/coverage.json?year=2025").json()["rows"]}
    assert "30" not in rows_2025  # Viken left on 2023-12-31
    assert len(rows_2025) == 14
    # Trondheim: 5 verified, 1 submitted, 106 missing; the 13 others miss all 112.
    assert (rows_2025["5001"]["verified"], rows_2025["5001"]["submitted"]) == (5, 1)
    assert sum(r["missing"] for r in rows_2025.values()) == 106 + 13 * 112
    rows_2023 = {r["code"] for r in verifier.get("/coverage.json?year=2023").json()["rows"]}
    assert "30" in rows_2023 and len(rows_2023) == 15


def test_member_cards_say_how_many_series_are_scored_and_reported(en: Client) -> None:
    html = en.get("/").content.decode()
    cards = {c.split("/members/")[1].split("/")[0]: c for c in html.split('<li class="card">')[1:]}
    memberships = Membership.objects.filter(network__code="baerekraftsnettverket").select_related("place")
    assert len(cards) == memberships.count()
    for m in memberships:
        # The demo's 2025 has only begun: each card shows its member's last full year.
        latest = (
            AggregateScore.objects.filter(place=m.place, level="overall", year__lte=2024)
            .order_by("-year")
            .first()
        )
        assert latest is not None
        card = cards[m.place.code]
        total = latest.catalogue_count
        assert f"{latest.scored} of {total} series scored" in card, m.place.code
        assert f"reported {latest.reported} of {total}" in card, m.place.code
        assert "coverage 100" not in card or latest.reported == total


def test_a_network_median_needs_at_least_two_reporting_members(people: dict[str, User], en: Client) -> None:
    partial_2025(people)  # Trondheim is the only member with 2025 values
    rows = en.get("/members/5001/series/ec-i-ws-1c.json").json()["rows"]
    only = next(r for r in rows if r["year"] == 2025)
    assert (only["count"], only["median"], only["low"], only["high"]) == (1, None, None, None)
    several = next(r for r in rows if r["year"] == 2024)
    assert several["count"] > 1 and several["median"] is not None
    compare = en.get("/compare.json?series=ec-i-ws-1c").json()["rows"]
    median = next(r for r in compare if r["name"] == "Median")
    assert median["2025"] is None and median["2024"] is not None


def test_editors_are_not_offered_the_verification_queue(people: dict[str, User]) -> None:
    for who, offered in (("editor_a", False), ("verifier", True), ("admin", True)):
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(people[who])
        html = client.get("/workspace/").content.decode()
        assert ('href="/workspace/verify/"' in html) is offered, who


def test_the_home_and_its_cards_do_not_jump_to_a_year_that_has_only_begun(en: Client) -> None:
    """The demo's 2025 is in progress (Trondheim has 12 of 112 values published): the map opens on
    the last full year and each card shows its member's headline year, as the profile does; the
    partial year stays one click away."""
    trondheim = Place.objects.get(code="5001")
    assert Observation.objects.filter(place=trondheim, year=2025, published_value__isnull=False).count() < 20
    html = en.get("/").content.decode()
    assert "<option selected>2024</option>" in html
    card = html.split('href="/members/5001/"')[1].split('<li class="card">')[0]
    overall_2024 = AggregateScore.objects.get(place=trondheim, level="overall", year=2024)
    assert f"{overall_2024.scored} of {overall_2024.catalogue_count} series scored" in card
    assert "2025" not in card
    assert "<option selected>2025</option>" in en.get("/?year=2025").content.decode()
