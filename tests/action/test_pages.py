"""The action pages and their twins end to end, in nb, nn and en: published records only, text
escaped everywhere, the contact only when public, and "what members are doing" on the
measurement pages at a query cost that does not grow with the number of projects."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from berekraft.action.models import ActionHistory, Deliverable, Funding, Project, TimelineEntry
from berekraft.catalogue.models import Indicator, Series
from berekraft.web.selectors.common import series_slug
from tests.action import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil")<script>alert(1)</script>'


@pytest.fixture
def series_code() -> str:
    return str(Series.objects.order_by("order").values_list("code", flat=True)[0])


@pytest.fixture
def world(series_code: str) -> dict[str, Any]:
    """A published project with everything, its partner and involvement, and drafts of each."""
    p = f.project(
        "1506",
        title="Renere fjord",
        summary="Mindre avrenning",
        description="Første avsnitt.\n\nLes mer på https://example.org/fjord. Og javascript:alert(1).",
        goals=(14,),
        targets=("11.6",),
        series=(series_code,),
        contact_name="Kari Nordmann",
        contact_email="kari@example.org",
        budget_nok=1_250_000,
        progress=40,
        status="ongoing",
        start_date=date(2021, 4, 1),
        end_date=date(2025, 12, 31),
        responsible_unit="Miljøavdelingen",
    )
    org = f.organisation("NIVA", kind="academia", org_number="971549254")
    ps = f.partner(p, org, role="research")
    Deliverable.objects.create(project=p, partnership=ps, what="Måleprogram", due_date=date(2024, 6, 1))
    Funding.objects.create(project=p, source="state", amount_nok=500_000)
    TimelineEntry.objects.create(project=p, date=date(2022, 1, 15), text="Oppstartsmøte")
    inv = f.involvement(
        "1506",
        on=p,
        title="Folkemøte om fjorden",
        method="public_meeting",
        participants=1234,
        groups=["children_youth", "immigrants"],
        changes="Ny rute for prøvetaking.",
    )
    draft = f.project("1506", title="Utkast", series=(series_code,), goals=(14,), published=False)
    hidden_org = f.organisation("Skjult AS", published=False)
    f.partner(draft, hidden_org, role="supplier")  # on no published project: not public
    hidden_inv = f.involvement("1506", on=p, title="Skjult høring", published=False)
    return {
        "project": p,
        "org": org,
        "inv": inv,
        "draft": draft,
        "hidden_org": hidden_org,
        "hidden_inv": hidden_inv,
    }


def indicator_slug(code: str) -> str:
    return series_slug(Series.objects.select_related("indicator").get(code=code).indicator.code)


def pages(w: dict[str, Any], series_code: str) -> list[str]:
    slug = series_slug(series_code)
    return [
        "/projects/",
        "/projects/?goal=14&member=1506&year=2022",
        f"/projects/{w['project'].pk}/",
        f"/organisations/{w['org'].pk}/",
        f"/involvement/{w['inv'].pk}/",
        "/members/1506/action/",
    ], slug


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_every_action_page_and_its_twins_answer(
    client: Client, world: dict[str, Any], series_code: str, lang: str
) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    urls, _slug = pages(world, series_code)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Renere fjord" in html or "NIVA" in html or "Folkemøte" in html, url
        path, _, query = url.partition("?")
        base = path.rstrip("/")
        data = json.loads(client.get(f"{base}.json" + (f"?{query}" if query else "")).content)
        assert data["rows"], url
        rows = list(
            csv.DictReader(
                io.StringIO(client.get(f"{base}.csv" + (f"?{query}" if query else "")).content.decode())
            )
        )
        assert len(rows) == len(data["rows"]), url


def test_the_project_page_shows_everything_in_norwegian_formats(
    client: Client, world: dict[str, Any]
) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nb"
    html = client.get(f"/projects/{world['project'].pk}/").content.decode()
    assert "1\u202f250\u202f000\u00a0kr" in html  # budget
    assert "500\u202f000\u00a0kr" in html  # funding
    assert "1.4.2021" in html and "31.12.2025" in html and "15.1.2022" in html
    assert "40\u00a0%" in html
    assert "NIVA" in html and "Måleprogram" in html and "Oppstartsmøte" in html
    assert "Folkemøte om fjorden" in html
    assert "11.6" in html
    assert "<p>Første avsnitt.</p>" in html
    assert (
        '<a href="https://example.org/fjord" rel="nofollow noopener">https://example.org/fjord</a>.' in html
    )
    assert 'href="javascript' not in html
    assert "Skjult AS" not in html and "Skjult høring" not in html  # unpublished partner, involvement
    assert "Kari Nordmann" not in html and "kari@example.org" not in html  # contact not public
    csv_text = client.get(f"/projects/{world['project'].pk}.csv").content.decode()
    assert "Kari" not in csv_text and "Skjult" not in csv_text


def test_the_contact_is_shown_when_the_member_chooses(client: Client, world: dict[str, Any]) -> None:
    Project.objects.filter(pk=world["project"].pk).update(contact_public=True)
    html = client.get(f"/projects/{world['project'].pk}/").content.decode()
    assert "Kari Nordmann" in html and "mailto:kari@example.org" in html


def test_the_sdg_targets_official_text_is_shown_in_the_pages_language(
    client: Client, world: dict[str, Any]
) -> None:
    from berekraft.catalogue.models import SdgTarget

    target = SdgTarget.objects.get(code="11.6")
    for lang in ("nb", "nn", "en"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
        html = client.get(f"/projects/{world['project'].pk}/").content.decode()
        assert target.text(lang)[:40].replace("'", "&#x27;") in html, lang


def test_unpublished_records_are_not_found_and_nowhere_listed(
    client: Client, world: dict[str, Any], series_code: str
) -> None:
    assert client.get(f"/projects/{world['draft'].pk}/").status_code == 404
    assert client.get(f"/projects/{world['draft'].pk}.json").status_code == 404
    assert client.get(f"/organisations/{world['hidden_org'].pk}/").status_code == 404
    assert client.get(f"/involvement/{world['hidden_inv'].pk}/").status_code == 404
    assert client.get("/projects/999999999/").status_code == 404
    slug = series_slug(series_code)
    for url in [
        "/projects/",
        "/projects.csv",
        "/projects.json",
        "/projects.json?q=Utkast",
        "/members/1506/action/",
        "/members/1506/action.csv",
        "/goals/14/",
        f"/members/1506/series/{slug}/",
        f"/kpis/{indicator_slug(series_code)}/",
        f"/organisations/{world['org'].pk}/",
        "/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "Utkast" not in text and "Skjult" not in text, url
    Project.objects.filter(pk=world["project"].pk).update(published_at=None)  # the admin unpublishes
    assert client.get(f"/projects/{world['project'].pk}/").status_code == 404
    assert "Renere fjord" not in client.get(f"/organisations/{world['org'].pk}/").content.decode()


def test_a_partner_added_inline_is_public_through_its_published_project(
    client: Client, world: dict[str, Any]
) -> None:
    """An editor adds a new partner on a project and publishes the project, never the partner
    itself: the public sees the partner on the project and on its own page, which lists only the
    published projects it takes part in."""
    new = f.organisation("Fjordlaget", kind="voluntary", published=False)
    f.partner(world["project"], new, role="co_creator")
    f.partner(world["draft"], new, role="lead")
    assert "Fjordlaget" in client.get(f"/projects/{world['project'].pk}/").content.decode()
    page = client.get(f"/organisations/{new.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Renere fjord" in text and "Utkast" not in text
    assert client.get("/projects.json?partner_kind=voluntary").json()["rows"][0]["title"] == "Renere fjord"
    Project.objects.filter(pk=world["project"].pk).update(published_at=None)  # the admin unpublishes
    assert client.get(f"/organisations/{new.pk}/").status_code == 404


def test_a_script_in_any_text_shows_as_text_and_the_csv_neutralises_formulas(
    client: Client, series_code: str
) -> None:
    p = f.project(
        "5001", title=HOSTILE, summary=HOSTILE, description=HOSTILE, series=(series_code,), goals=(11,)
    )
    org = f.organisation(HOSTILE)
    f.partner(p, org)
    inv = f.involvement("5001", on=p, title=HOSTILE, asked=HOSTILE, outcome=HOSTILE, changes=HOSTILE)
    slug = series_slug(series_code)
    urls = [
        "/projects/",
        "/projects/?q=HYPERLINK",
        f"/projects/{p.pk}/",
        f"/organisations/{org.pk}/",
        f"/involvement/{inv.pk}/",
        "/members/5001/action/",
        f"/members/5001/series/{slug}/",
        "/goals/11/",
        "/members/5001/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        if url != "/members/5001/":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    for url in [
        "/projects.csv",
        f"/projects/{p.pk}.csv",
        f"/organisations/{org.pk}.csv",
        f"/involvement/{inv.pk}.csv",
        "/members/5001/action.csv",
    ]:
        cells = [c for row in csv.reader(io.StringIO(client.get(url).content.decode())) for c in row]
        assert "'" + HOSTILE in cells, url
        assert HOSTILE not in cells, url


def test_what_members_are_doing_shows_this_members_projects_first(client: Client, series_code: str) -> None:
    slug = series_slug(series_code)
    f.project("1506", title="Moldes tiltak", series=(series_code,))
    f.project("1103", title="Stavangers tiltak", series=(series_code,))
    html = client.get(f"/members/1506/series/{slug}/").content.decode()
    assert html.index("Moldes tiltak") < html.index("Stavangers tiltak")
    html = client.get(f"/members/1103/series/{slug}/").content.decode()
    assert html.index("Stavangers tiltak") < html.index("Moldes tiltak")
    html = client.get(f"/kpis/{indicator_slug(series_code)}/").content.decode()
    assert "Moldes tiltak" in html and "Stavangers tiltak" in html
    profile = client.get("/members/1506/").content.decode()
    assert f'href="/members/1506/series/{slug}/#doing"' in profile


def test_home_counts_projects_per_goal(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    f.project(goals=(11,), targets=("11.6", "11.2"))
    f.project(targets=("11.1",))
    f.project(goals=(11,), published=False)
    html = client.get("/").content.decode()
    assert 'href="/projects/?goal=11"' in html
    assert "2 projects" in html


def test_the_profile_marks_each_focus_kpi_with_whether_the_member_has_a_project(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get("/members/1506/").content.decode()
    focus = html[html.index('id="focus"') : html.index('id="kpis"')]
    assert "no project here" in focus
    from berekraft.scores.models import SeriesScore

    low = SeriesScore.objects.filter(place__code="1506", points__in=(1, 2)).order_by("-year").first()
    assert low is not None
    f.project("1506", series=(low.series.code,))
    html = client.get("/members/1506/").content.decode()
    focus = html[html.index('id="focus"') : html.index('id="kpis"')]
    assert "1 project here" in focus


def test_the_profiles_query_count_does_not_grow_with_projects(client: Client) -> None:
    codes = list(Series.objects.order_by("order").values_list("code", flat=True))

    def cost() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/members/1506/").status_code == 200
        return len(seen.captured_queries)

    none = cost()
    for n in range(50):
        f.project(
            "1506" if n % 2 else "5001",
            title=f"P{n}",
            series=(codes[n % len(codes)], codes[(n + 7) % len(codes)]),
            goals=(n % 17 + 1,),
        )
    assert cost() == none


def test_a_register_change_changes_the_etag(client: Client, world: dict[str, Any]) -> None:
    first = client.get("/projects/")
    assert client.get("/projects/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    ActionHistory.objects.create(model="project", object_id=world["project"].pk, version=2, change="publish")
    assert client.get("/projects/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_bad_filter_values_and_pages_are_400s_not_500s(client: Client) -> None:
    for query in ["goal=99", "page=abc", "page=-1", "year=20x0", "status=%00", "kpi=../../etc"]:
        assert client.get(f"/projects/?{query}").status_code == 400, query
    assert client.get("/projects/?page=999999").status_code == 200  # past the last: the last


def test_the_site_walk_of_the_action_pages_meets_no_server_error(
    client: Client, world: dict[str, Any], series_code: str
) -> None:
    from tests.web.walk import _check, action_urls

    urls = action_urls(["1506", "5001"], [11, 14], [series_slug(series_code)])
    assert f"/projects/{world['draft'].pk}.csv" in urls
    _check(client, urls)


def test_the_filter_form_keeps_each_chosen_filter_selected_and_escapes_its_labels(
    client: Client, series_code: str
) -> None:
    from html.parser import HTMLParser

    f.project("5001", title="Sykkelvei", goals=(11,), targets=("11.6",), series=(series_code,))
    Indicator.objects.filter(series__code=series_code).update(name_nb="Andel <b>grønn</b> & ren")
    slug = series_slug(series_code)

    class Selects(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.select = ""
            self.options: dict[str, list[tuple[str, bool]]] = {}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if tag == "select":
                self.select = found["name"] or ""
                self.options[self.select] = []
            elif tag == "option":
                self.options[self.select].append((found.get("value") or "", "selected" in found))

    html = client.get(f"/projects/?member=5001&goal=11&target=11.6&kpi={slug}&year=2022").content.decode()
    form = Selects()
    form.feed(html)
    chosen = {name: [v for v, on in options if on] for name, options in form.options.items()}
    assert chosen["member"] == ["5001"]
    assert chosen["goal"] == ["11"]
    assert chosen["target"] == ["11.6"]
    assert chosen["kpi"] == [slug]
    assert chosen["year"] == ["2022"]
    assert chosen["status"] == []
    assert len(form.options["target"]) == 1 + 169  # "All" and the 169 targets
    assert "Andel &lt;b&gt;grønn&lt;/b&gt; &amp; ren" in html
    assert "<b>grønn</b>" not in html


def test_the_lists_twins_carry_every_matching_project_and_the_page_one_page(client: Client) -> None:
    """The page shows 25; its .json and .csv twins carry all that match the filters (the full
    table a download is for), in the page's order."""
    for i in range(30):
        f.project("5001", title=f"Prosjekt {i:02}", goals=(11,), start_date=date(2020, 1, 1 + i))
    f.project("5001", title="Annet mål", goals=(3,))
    f.project("5001", title="Utkast", goals=(11,), published=False)
    html = client.get("/projects/?goal=11").content.decode()
    assert html.count('class="project-item"') == 25
    rows = client.get("/projects.json?goal=11").json()["rows"]
    assert [r["title"] for r in rows] == [f"Prosjekt {i:02}" for i in reversed(range(30))]
    lines = list(csv.reader(io.StringIO(client.get("/projects.csv?goal=11").content.decode())))
    assert len(lines) == 1 + 30
    assert client.get("/projects.json?goal=11&page=2").json()["rows"] == rows  # no page in a twin
