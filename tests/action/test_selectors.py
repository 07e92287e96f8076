"""The project list's filters and the "what members are doing" reads: published records only."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from berekraft.action.doing import doing_on_goal, doing_on_series, goal_counts, series_counts
from berekraft.action.selectors import ProjectFilters, parse_filters, project_list
from berekraft.catalogue.models import Series
from berekraft.places.models import Place
from berekraft.web.selectors.common import catalogue, series_slug
from tests.action import factories as f

pytestmark = pytest.mark.django_db


def titles(filters: ProjectFilters) -> set[str]:
    found = project_list(filters=filters, catalogue=catalogue(language="en"))
    return {i.project.title for i in found.items}


@pytest.fixture
def codes() -> list[str]:
    return list(Series.objects.order_by("order").values_list("code", flat=True)[:3])


def test_each_filter_narrows_to_the_projects_that_match(codes: list[str]) -> None:
    a = f.project("5001", title="A", goals=(11,), targets=("11.6",), series=(codes[0],), status="ongoing")
    b = f.project(
        "1506",
        title="B",
        targets=("3.9",),
        series=(codes[1],),
        status="planned",
        start_date=date(2019, 1, 1),
        end_date=date(2020, 6, 30),
    )
    f.project("1506", title="Draft", published=False, goals=(11,), series=(codes[0],))
    f.partner(a, f.organisation("NTNU", kind="academia"))
    f.partner(b, f.organisation("Hidden AS", kind="business", published=False))
    f.involvement("1506", on=b, method="survey")
    f.involvement("5001", on=a, method="workshop", published=False)
    assert titles(ProjectFilters()) == {"A", "B"}
    assert titles(ProjectFilters(member="1506")) == {"B"}
    assert titles(ProjectFilters(goal=11)) == {"A"}  # named goal and target 11.6
    assert titles(ProjectFilters(goal=3)) == {"B"}  # through target 3.9 only
    assert titles(ProjectFilters(target="11.6")) == {"A"}
    assert titles(ProjectFilters(kpi=series_slug(codes[1]))) == {"B"}
    assert titles(ProjectFilters(status="planned")) == {"B"}
    assert titles(ProjectFilters(partner_kind="academia")) == {"A"}
    # an unpublished partner of a published project is public through it (public_organisations)
    assert titles(ProjectFilters(partner_kind="business")) == {"B"}
    assert titles(ProjectFilters(partner_kind="voluntary")) == set()
    assert titles(ProjectFilters(method="survey")) == {"B"}
    assert titles(ProjectFilters(method="workshop")) == set()  # unpublished involvement
    assert titles(ProjectFilters(goal=11, member="1506")) == set()


def test_a_project_runs_in_every_year_its_dates_overlap() -> None:
    f.project(title="Closed", start_date=date(2019, 11, 1), end_date=date(2021, 2, 1))
    f.project(title="Open", start_date=date(2021, 12, 31))
    f.project(title="Undated", start_date=None)
    assert titles(ProjectFilters(year=2018)) == set()
    assert titles(ProjectFilters(year=2019)) == {"Closed"}
    assert titles(ProjectFilters(year=2021)) == {"Closed", "Open"}
    assert titles(ProjectFilters(year=2030)) == {"Open"}


def test_an_indicator_slug_means_any_of_its_series() -> None:
    multi = Series.objects.filter(key__gt="").select_related("indicator").first()
    assert multi is not None
    f.project(title="Air", series=(multi.code,))
    assert titles(ProjectFilters(kpi=series_slug(multi.indicator.code))) == {"Air"}


@pytest.mark.parametrize(
    "query",
    [
        "goal=18",
        "goal=0",
        "goal=x",
        "status=done",
        "year=99",
        "target=11",
        "kpi=NO",
        "kpi=no-such-kpi",
        "partner_kind=x",
        "method=x",
        "member=%3Cscript%3E",
    ],
)
def test_a_value_that_is_no_choice_is_a_bad_request(query: str) -> None:
    with pytest.raises(BadRequest):
        filters = parse_filters(QueryDict(query))
        project_list(filters=filters, catalogue=catalogue(language="en"))


def test_doing_lists_this_members_projects_first_then_other_members(codes: list[str]) -> None:
    molde = Place.objects.get(code="1506")
    f.project("5001", title="Trondheim's", series=(codes[0],))
    f.project("1103", title="Stavanger's", series=(codes[0],))
    f.project("1506", title="Molde's", series=(codes[0],))
    f.project("1506", title="Draft", series=(codes[0],), published=False)
    doing = doing_on_series(series_ids=[Series.objects.get(code=codes[0]).pk], slug="x", member=molde)
    assert [i.project.title for i in doing.own] == ["Molde's"]
    assert {i.project.title for i in doing.others} == {"Stavanger's", "Trondheim's"}
    assert doing.total == 3
    assert doing_on_goal(number=11).total == 0


def test_counts_per_series_and_per_goal_leave_drafts_out(codes: list[str]) -> None:
    series = Series.objects.get(code=codes[0])
    f.project("5001", series=(codes[0],), goals=(11,), targets=("11.6",))
    f.project("1506", series=(codes[0],), targets=("11.2",))
    f.project("1506", series=(codes[0],), goals=(11,), published=False)
    counts = series_counts(member=Place.objects.get(code="1506"))
    assert (counts[series.pk].total, counts[series.pk].own) == (2, 1)
    by_goal = {g.number: g.projects for g in goal_counts(catalogue=catalogue(language="en"))}
    assert by_goal[11] == 2 and by_goal[3] == 0


def test_the_list_costs_the_same_queries_for_few_and_many_projects(codes: list[str]) -> None:
    def cost() -> int:
        with CaptureQueriesContext(connection) as seen:
            project_list(filters=ProjectFilters(goal=11), catalogue=catalogue(language="en"))
        return len(seen.captured_queries)

    f.project(goals=(11,), targets=("11.6",))
    few = cost()
    for n in range(30):
        f.project(title=f"P{n}", goals=(11,), targets=("11.6", "11.2"), series=(codes[n % 3],))
    assert cost() == few
