"""The action registers in the API: every endpoint, published records only, the contact only where
the member shows it, the page's filters with the page's 400s (never a 500), cursors that visit
every row once, and conditional GET and kept answers that end with a register change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from berekraft.action.models import ActionHistory, Involvement, Organisation, Project
from tests.action import factories as f
from tests.api.conftest import as_caller

pytestmark = pytest.mark.django_db


def get(url: str, **query: Any) -> Any:
    response = as_caller(None).get(url, query)
    assert response.status_code == 200, (url, response.content)
    return response.json()


def test_a_project_has_everything_its_page_shows(registers: dict[str, Any]) -> None:
    p = get(f"/api/v1/projects/{registers['project'].pk}")
    assert (p["title"], p["member"], p["member_name"], p["status"], p["progress"]) == (
        "Renere fjord",
        "1506",
        "Molde",
        "ongoing",
        40,
    )
    assert (p["start_date"], p["end_date"], p["budget_nok"]) == ("2021-04-01", "2025-12-31", 1_250_000)
    assert p["goals"] == [11, 14]  # 14 named, 11 through target 11.6
    assert [t["code"] for t in p["sdg_targets"]] == ["11.6", "14.1"]
    assert [k["series"] for k in p["kpis"]] == registers["series"]
    assert all(k["expected"] == "down" and k["unit"] and k["name"] for k in p["kpis"])
    # the member's values from the year before the project started (2020) on
    assert p["kpis"][0]["points"] and all(pt["year"] >= 2020 for pt in p["kpis"][0]["points"])
    [partner] = p["partners"]
    assert (partner["name"], partner["kind"], partner["role"]) == ("NIVA", "academia", "research")
    assert [d["what"] for d in partner["deliverables"]] == ["Måleprogram"]
    assert [(d["what"], d["status"]) for d in p["deliverables"]] == [("Sluttrapport", "ongoing")]
    assert p["funding"] == [{"source": "state", "amount_nok": 500_000, "note": "Klimasats"}]
    assert p["links"] == [{"title": "Om fjorden", "url": "https://example.org/fjord"}]
    assert p["timeline"] == [{"date": "2022-01-15", "text": "Oppstartsmøte"}]
    assert [i["title"] for i in p["involvement"]] == ["Folkemøte om fjorden"]  # not the hidden one
    assert p["contact"] is None  # not public
    assert "Kari" not in str(p)


def test_the_contact_is_given_only_where_the_member_shows_it(registers: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{registers['project'].pk}"
    Project.objects.filter(pk=registers["project"].pk).update(contact_public=True)
    assert get(url)["contact"] == {"name": "Kari Nordmann", "email": "kari@example.org"}
    Project.objects.filter(pk=registers["project"].pk).update(contact_name="", contact_email="")
    assert get(url)["contact"] is None  # public, but nothing to show: as on the page


def test_drafts_are_not_found_and_nowhere_listed(registers: dict[str, Any]) -> None:
    public = as_caller(None)
    for url in [
        f"/api/v1/projects/{registers['draft'].pk}",
        f"/api/v1/organisations/{registers['hidden_org'].pk}",
        f"/api/v1/involvement/{registers['hidden_involvement'].pk}",
        "/api/v1/projects/999999999",
    ]:
        response = public.get(url)
        assert response.status_code == 404, url
        assert response.json()["errors"][0]["what"], url
    everything = [
        get("/api/v1/projects", limit=1000),
        get("/api/v1/projects", q="Utkast"),
        get("/api/v1/projects", member="1506", goal=14),
        get("/api/v1/organisations", limit=1000),
        get("/api/v1/organisations", kind="business", member="1506"),
        get("/api/v1/involvement", limit=1000),
        get("/api/v1/involvement", project=registers["draft"].pk),
        get("/api/v1/members/1506/priorities"),
        get(f"/api/v1/organisations/{registers['org'].pk}"),
        get(f"/api/v1/projects/{registers['project'].pk}"),
    ]
    text = str(everything)
    assert "Utkast" not in text and "Skjult" not in text
    # a published process for a draft project is public, without the project
    process = get(f"/api/v1/involvement/{registers['draft_involvement'].pk}")
    assert process["title"] == "Høring om utkastet" and process["project"] is None
    # the admin unpublishes: gone from the API at once, and from its partner's projects
    Project.objects.filter(pk=registers["project"].pk).update(published_at=None)
    assert as_caller(None).get(f"/api/v1/projects/{registers['project'].pk}").status_code == 404
    assert as_caller(None).get(f"/api/v1/organisations/{registers['org'].pk}").json()["projects"] == []


def test_a_partner_added_inline_is_public_through_its_published_project(registers: dict[str, Any]) -> None:
    new = f.organisation("Fjordlaget", kind="voluntary", published=False)
    f.partner(registers["project"], new, role="co_creator")
    f.partner(registers["draft"], new, role="lead")
    found = get(f"/api/v1/organisations/{new.pk}")
    assert [(p["title"], p["roles"]) for p in found["projects"]] == [("Renere fjord", ["co_creator"])]
    listed = get("/api/v1/organisations", kind="voluntary", member="1506")["items"]
    assert ("Fjordlaget", 1) in [(o["name"], o["published_projects"]) for o in listed]


def test_organisations_are_listed_by_name_with_their_published_projects(registers: dict[str, Any]) -> None:
    walked: list[dict[str, Any]] = []
    query: dict[str, Any] = {"limit": 4}
    while True:
        page = get("/api/v1/organisations", **query)
        walked += page["items"]
        if page["next"] is None:
            break
        query["cursor"] = page["next"]
    public = Organisation.objects.exclude(pk=registers["hidden_org"].pk)
    assert sorted(o["id"] for o in walked) == sorted(public.values_list("pk", flat=True))
    assert [(o["name"], o["id"]) for o in walked] == sorted((o["name"], o["id"]) for o in walked)
    niva = next(o for o in walked if o["name"] == "NIVA")
    assert (niva["kind"], niva["org_number"], niva["published_projects"]) == ("academia", "971549254", 1)
    assert niva["url"] == f"/organisations/{niva['id']}/"
    assert [o["name"] for o in get("/api/v1/organisations", q="niva")["items"]] == ["NIVA"]
    academia = get("/api/v1/organisations", kind="academia", limit=1000)["items"]
    assert academia and all(o["kind"] == "academia" for o in academia)


def test_involvement_is_listed_newest_first_and_filtered_as_asked(registers: dict[str, Any]) -> None:
    every = get("/api/v1/involvement", limit=1000)["items"]
    published = Involvement.objects.filter(published_at__isnull=False)
    assert sorted(i["id"] for i in every) == sorted(published.values_list("pk", flat=True))
    starts = [i["start_date"] for i in every]
    assert starts == sorted(starts, reverse=True)
    meeting = get("/api/v1/involvement", member="1506", method="public_meeting")["items"]
    assert [i["title"] for i in meeting] == ["Folkemøte om fjorden"]
    assert meeting[0]["project"] == {"id": registers["project"].pk, "title": "Renere fjord"}
    for_project = get("/api/v1/involvement", project=registers["project"].pk)["items"]
    assert [i["title"] for i in for_project] == ["Folkemøte om fjorden"]
    in_2023 = get("/api/v1/involvement", year=2023, limit=1000)["items"]
    assert {i["title"] for i in in_2023} == {"Folkemøte om fjorden", "Høring om utkastet"}
    detail = get(f"/api/v1/involvement/{registers['involvement'].pk}")
    assert detail["groups"] == ["children_youth", "immigrants"] and detail["participants"] == 1234
    assert (detail["asked"], detail["outcome"], detail["changes"]) == (
        "Hva er viktigst?",
        "Renere strender.",
        "Ny rute for prøvetaking.",
    )


def test_a_member_s_published_priorities(registers: dict[str, Any]) -> None:
    found = get("/api/v1/members/1506/priorities")
    mine = next(p for p in found if p["id"] == registers["priority"].pk)
    assert (mine["series"], mine["goal"], mine["reason"]) == (
        registers["series"][0],
        None,
        "Vedtatt i kommunestyret",
    )
    assert mine["decision_url"] == "https://example.org/vedtak" and mine["valid_until"] is None
    assert registers["hidden_priority"].pk not in [p["id"] for p in found]
    response = as_caller(None).get("/api/v1/members/9999/priorities")
    assert response.status_code == 404 and response.json()["errors"][0]["what"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("goal=99", "goal"),
        ("goal=abc", "goal"),
        ("goal=0", "goal"),
        ("year=20x0", "year"),
        ("year=1066", "year"),
        ("status=%00", "status"),
        ("status=lost", "status"),
        ("kpi=../../etc", "kpi"),
        ("kpi=no-such-kpi", "kpi"),
        ("target=99.x9y", "target"),
        ("member=50%2001", "member"),
        ("partner_kind=alien", "partner_kind"),
        ("method=telepathy", "method"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("cursor=%25%25", "cursor"),
    ],
)
def test_bad_filter_values_are_400s_in_the_one_shape_as_on_the_page(
    registers: dict[str, Any], query: str, where: str
) -> None:
    response = as_caller(None).get(f"/api/v1/projects?{query}")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors and all(set(e) == {"where", "what", "fix"} and e["what"] for e in errors)
    assert errors[0]["where"] == where
    if where not in ("limit", "cursor"):  # the page's own parameters are its pager's
        assert Client().get(f"/projects/?{query}").status_code == 400, query


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations?kind=alien",
        "/api/v1/organisations?member=%00",
        "/api/v1/involvement?method=telepathy",
        "/api/v1/involvement?year=abc",
        "/api/v1/involvement?project=-1",
        "/api/v1/organisations/0",
        "/api/v1/involvement/abc",
        "/api/v1/projects/1000000000",
        "/api/v1/members/50%2001/priorities",
    ],
)
def test_bad_register_reads_are_400s_in_the_one_shape(registers: dict[str, Any], url: str) -> None:
    response = as_caller(None).get(url)
    assert response.status_code in (400, 404), (url, response.content)
    assert response.json()["errors"][0]["what"]


def test_a_search_with_a_nul_or_a_long_query_is_no_server_error(registers: dict[str, Any]) -> None:
    for query in ["q=%00fjord", "q=" + "fjord " * 2000, "q=%22%27%3B--", "q=NEAR(a b)"]:
        assert as_caller(None).get(f"/api/v1/projects?{query}").status_code == 200, query[:40]
    assert as_caller(None).get("/api/v1/organisations?q=%00niva").status_code == 200


def test_a_kpi_may_be_given_by_its_code_as_elsewhere_in_the_api(registers: dict[str, Any]) -> None:
    from berekraft.web.selectors.common import series_slug

    code = registers["series"][0]
    by_code = get("/api/v1/projects", kpi=code, limit=1000)["items"]
    by_slug = get("/api/v1/projects", kpi=series_slug(code), limit=1000)["items"]
    assert by_code == by_slug and registers["project"].pk in [p["id"] for p in by_code]


def test_register_reads_are_conditional_and_open_to_every_origin(registers: dict[str, Any]) -> None:
    public = as_caller(None)
    url = f"/api/v1/projects/{registers['project'].pk}"
    first = public.get(url)
    assert first["Access-Control-Allow-Origin"] == "*" and "public" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    assert public.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    Project.objects.filter(pk=registers["project"].pk).update(title="Renere fjord og strand")
    assert public.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


@override_settings(PAGE_CACHE_SECONDS=60)
def test_a_kept_public_answer_ends_with_the_next_register_change(registers: dict[str, Any]) -> None:
    """A project published between two reads is in the second: the kept answers are keyed by the
    latest register change as well as the latest score run (no run follows a publication)."""
    from berekraft.web import pagecache

    pagecache.pages.clear()
    public = as_caller(None)
    before = [
        p["id"] for p in public.get("/api/v1/projects", {"member": "1506", "limit": 1000}).json()["items"]
    ]
    draft = registers["draft"]
    Project.objects.filter(pk=draft.pk).update(published_at=timezone.now())
    ActionHistory.objects.create(model="project", object_id=draft.pk, version=2, change="publish")
    after = [
        p["id"] for p in public.get("/api/v1/projects", {"member": "1506", "limit": 1000}).json()["items"]
    ]
    assert draft.pk not in before and draft.pk in after


def test_a_project_running_in_a_year_overlaps_it(registers: dict[str, Any]) -> None:
    f.project("5001", title="Uten start", start_date=None)
    f.project("5001", title="Ferdig 2019", start_date=date(2018, 1, 1), end_date=date(2019, 12, 31))
    f.project("5001", title="Fra 2020", start_date=date(2020, 12, 31))
    titles = {p["title"] for p in get("/api/v1/projects", member="5001", year=2020, limit=1000)["items"]}
    assert "Fra 2020" in titles and "Ferdig 2019" not in titles and "Uten start" not in titles
    titles = {p["title"] for p in get("/api/v1/projects", member="5001", limit=1000)["items"]}
    assert {"Uten start", "Ferdig 2019", "Fra 2020"} <= titles


def test_the_registers_choices_take_no_other_enum_s_place_in_the_openapi() -> None:
    """Project.Status and Observation.Status are both "Status": as components, one would document
    the other's parameter."""
    from berekraft.observations.models import Observation
    from berekraft.places.models import Place

    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    assert components["Status"]["enum"] == list(Observation.Status.values)
    assert components["Kind"]["enum"] == list(Place.Kind.values)
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/projects"]["get"]["parameters"]}
    assert parameters["status"]["anyOf"][0]["enum"] == list(Project.Status.values)
    assert parameters["partner_kind"]["anyOf"][0]["enum"] == list(Organisation.Kind.values)


def test_a_page_of_projects_costs_the_same_queries_whatever_their_number(registers: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert as_caller(None).get("/api/v1/projects", {"limit": 1000}).status_code == 200
        return len(seen.captured_queries)

    before = cost()
    for n in range(40):
        f.project("5001" if n % 2 else "1506", title=f"P{n}", goals=(n % 17 + 1,), targets=("11.6",))
    assert cost() == before
