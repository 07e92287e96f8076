"""Wide pages over a large network (issue 9): a goal's heat map, a KPI's values by year and the
home's cards come in pages of members and the compare page summarises a large group over time,
while their .json/.csv twins carry every member."""

from __future__ import annotations

import pytest
from django.test import Client

from berekraft.places.models import Membership, Network, Place
from berekraft.scores.models import AggregateScore
from berekraft.web.selectors.common import MEMBERS_PER_PAGE
from berekraft.web.selectors.compare import LINES_MEMBERS
from berekraft.web.selectors.goals import GOAL_PAGE_MEMBERS


@pytest.fixture
def large(client: Client) -> int:
    """The network with 30 more municipalities as members (45 in all); returns the count."""
    network = Network.objects.get(code="baerekraftsnettverket")
    have = set(Membership.objects.filter(network=network).values_list("place_id", flat=True))
    extra = Place.objects.filter(kind=Place.Kind.MUNICIPALITY, valid_to__isnull=True).exclude(pk__in=have)
    Membership.objects.bulk_create(
        [Membership(network=network, place=p, kind="kommune") for p in extra.order_by("code")[:30]]
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return Membership.objects.filter(network=network).count()


@pytest.mark.django_db
def test_a_goal_heat_map_is_paged_and_its_twin_has_every_member(client: Client, large: int) -> None:
    first = client.get("/goals/11/").content.decode()
    second = client.get("/goals/11/?page=2").content.decode()
    rows = first.split('id="goal-table"')[1].split("</table>")[0].count('<th scope="row">')
    assert rows == GOAL_PAGE_MEMBERS
    rest = second.split('id="goal-table"')[1].split("</table>")[0].count('<th scope="row">')
    assert rest == large - GOAL_PAGE_MEMBERS
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert len(client.get("/goals/11.json").json()["rows"]) == large
    assert client.get("/goals/11.csv").content.decode().count("\n") == large + 1


@pytest.mark.django_db
def test_the_compare_page_summarises_a_large_group_over_time(client: Client, large: int) -> None:
    assert large > LINES_MEMBERS
    html = client.get("/compare/?series=ec-ict-ict-1c").content.decode()
    by_year = html.split('id="years-table"')[1].split("</table>")[0]
    assert by_year.count('<th scope="row">') == 2  # mean and median
    assert "Every member is in this page&#x27;s data" in html or "Every member is in this page's data" in html
    rows = client.get("/compare.json?series=ec-ict-ict-1c").json()["rows"]
    assert len(rows) == large + 2  # every member, the mean and the median


def _rows(html: str, table_id: str) -> int:
    return html.split(f'id="{table_id}"')[1].split("</table>")[0].count('<th scope="row">')


@pytest.mark.django_db
def test_the_home_shows_a_page_of_cards_and_every_member_on_the_map(client: Client, large: int) -> None:
    first = client.get("/?measure=goal:11").content.decode()
    second = client.get("/?measure=goal:11&page=2").content.decode()
    assert first.count('<li class="card">') == MEMBERS_PER_PAGE
    assert second.count('<li class="card">') == large - MEMBERS_PER_PAGE
    # The map and its table have every member, on every page; the next page keeps the measure.
    assert _rows(first, "map-table") == _rows(second, "map-table") == large
    assert 'href="?measure=goal%3A11&amp;page=2" rel="next"' in first
    cards = client.get("/index.json?measure=goal:11").json()["rows"]
    assert len(cards) == large
    scored = AggregateScore.objects.filter(level="overall", place__memberships__isnull=False)
    assert sum(1 for row in cards if row["overall"] is not None) == scored.values("place").distinct().count()


@pytest.mark.django_db
def test_a_kpi_page_shows_a_page_of_members_with_every_members_years(client: Client, large: int) -> None:
    first = client.get("/kpis/ec-ict-ict-1c/").content.decode()
    second = client.get("/kpis/ec-ict-ict-1c/?page=2").content.decode()
    body = [html.split("All values by member and year")[1].split("<h2")[0] for html in (first, second)]
    assert body[0].count('<th scope="row">') == MEMBERS_PER_PAGE
    assert body[1].count('<th scope="row">') == large - MEMBERS_PER_PAGE
    heads = [b.split("<thead>")[1].split("</thead>")[0] for b in body]
    assert heads[0] == heads[1] and heads[0].count('scope="col"') > 10  # the same years on each page
    twin = client.get("/kpis/ec-ict-ict-1c.json").json()["rows"]
    assert len({row["code"] for row in twin}) == large
