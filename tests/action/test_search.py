"""Full-text search of projects on SQLite (FTS5) and PostgreSQL (norwegian tsvector): the stored
document follows every write (triggers), drafts are never found, hostile queries never fail."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from berekraft.action.models import Organisation, Project
from berekraft.action.search import fts5_query
from berekraft.action.selectors import ProjectFilters, project_list
from berekraft.places.models import Place
from berekraft.web.selectors.common import catalogue
from tests.action import factories as f

pytestmark = pytest.mark.django_db


def found(q: str) -> set[str]:
    data = project_list(filters=ProjectFilters(q=q), catalogue=catalogue(language="en"))
    return {i.project.title for i in data.items}


def test_a_word_from_the_description_finds_the_project() -> None:
    f.project(title="Grønn mobilitet", description="Kommunen bygger ladestasjoner for elbilar ved skolane.")
    f.project(title="Annet", description="Noe helt annet.")
    assert found("ladestasjoner") == {"Grønn mobilitet"}
    assert found("LADESTASJONER skolane") == {"Grønn mobilitet"}


def test_title_summary_member_and_partner_names_are_searched() -> None:
    p = f.project("1506", title="Sjøbadet", summary="Reinare fjord")
    org = f.organisation("Havforskingsinstituttet")
    assert found("Sjøbadet") == found("fjord") == found("Molde") == {"Sjøbadet"}
    assert found("Havforskingsinstituttet") == set()
    f.partner(p, org)  # the document follows a new partner, a renamed partner, a removed one
    assert found("Havforskingsinstituttet") == {"Sjøbadet"}
    Organisation.objects.filter(pk=org.pk).update(name="Akvaplan")
    assert found("Havforskingsinstituttet") == set() and found("Akvaplan") == {"Sjøbadet"}
    p.partnerships.all().delete()
    assert found("Akvaplan") == set()


def test_the_document_follows_an_edited_project_and_a_deleted_one() -> None:
    p = f.project(title="Gammel tittel")
    Project.objects.filter(pk=p.pk).update(title="Ny tittel")
    assert found("Gammel") == set() and found("Ny") == {"Ny tittel"}
    p.delete()
    assert found("Ny") == set()


def test_an_unpublished_project_is_never_found() -> None:
    f.project(title="Hemmelig plan", description="utkast om sykkelparkering", published=False)
    assert found("sykkelparkering") == set()
    assert found("Hemmelig") == set()


def test_letters_aeoa_are_letters_of_their_own() -> None:
    f.project(title="Bølgekraft i fjæra")
    f.project(title="Bolgekraft uten ø")
    assert found("fjæra") == {"Bølgekraft i fjæra"}
    if connection.vendor == "sqlite":
        assert found("bølgekraft") == {"Bølgekraft i fjæra"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming is PostgreSQL's norwegian configuration"
)
def test_a_norwegian_word_form_finds_its_stem_on_postgresql() -> None:
    f.project(title="Trygge skoleveier", description="Vi bygger nye sykkelveier.")
    assert found("sykkelvei") == {"Trygge skoleveier"}
    assert found("skolevei") == {"Trygge skoleveier"}


def test_a_word_finds_longer_forms_of_it_as_a_prefix_on_sqlite() -> None:
    f.project(title="Trygge skoleveier", description="Vi bygger nye sykkelveier.")
    assert found("sykkelvei") == {"Trygge skoleveier"}


HOSTILE = [
    '"',
    '""',
    '"unclosed',
    "*",
    "sykkel*",
    "NEAR(a b)",
    "a NEAR b",
    "-",
    "-sykkel",
    "a OR b AND NOT c",
    "title:sykkel",
    "{title summary}: x",
    "^sykkel",
    "(",
    ")",
    "'; DROP TABLE action_project; --",
    "\\",
    "x\x00y",
    "%",
    "_",
    "<script>alert(1)</script>",
    "a" * 10_000,
    "sykkel " * 2_000,
    "😀",
    "\u202e",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client: Client, query: str) -> None:
    f.project(title="Sykkel", description="sykkel")
    response = client.get("/projects/", {"q": query})
    assert response.status_code == 200
    assert client.get("/projects.csv", {"q": query}).status_code == 200


@hsettings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_text_is_a_valid_query(text: str) -> None:
    Place.objects.get(code="5001")  # the database answers between examples
    project_list(filters=ProjectFilters(q=text.replace("\x00", " ")), catalogue=catalogue(language="en"))


def test_fts5_query_quotes_every_word_as_a_prefix_term() -> None:
    assert fts5_query('sykkel "NEAR" -vei* OR') == '"sykkel"* "near"* "vei"* "or"*'
    assert fts5_query('"*-()') == ""
