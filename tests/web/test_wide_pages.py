"""Wide pages over a large network (issue 9): a goal's heat map comes in pages of members and the
compare page summarises a large group over time, while their .json/.csv twins carry every member."""

from __future__ import annotations

import pytest
from django.test import Client

from berekraft.places.models import Membership, Network, Place
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
