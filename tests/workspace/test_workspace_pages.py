"""The workspace in a browser's shoes (Django test client): upload → preview → confirm → submit →
verify → public score; undo; stale edits; every page × every role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from berekraft.catalogue.models import Series
from berekraft.observations.models import ImportBatch, Observation
from berekraft.scores.models import SeriesScore

pytestmark = pytest.mark.django_db

CSV = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,41\n5001,EN: EN: AQ: 1C,PM2.5,2024,6.5\n"
BAD = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,410\n1506,EC: I: WS: 1C,,2024,40\n"


def as_user(user: User | None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def upload(client: Client, content: bytes, name: str = "values.csv") -> str:
    response = client.post("/workspace/upload/", {"file": SimpleUploadedFile(name, content), "member": ""})
    assert response.status_code == 200
    return response.content.decode()


def test_steward_uploads_previews_confirms_submits_and_verifier_publishes(people: dict[str, User]) -> None:
    editor = as_user(people["editor_a"])
    preview = upload(editor, CSV)
    assert "Import 2 values" in preview
    token = preview.split('name="token" value="')[1].split('"')[0]
    seen = preview.split('name="seen" value="')[1].split('"')[0]
    assert Observation.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024).value != 41
    response = editor.post(
        "/workspace/upload/confirm/", {"token": token, "member": "", "seen": seen}, follow=True
    )
    assert "2 changed, 0 unchanged" in response.content.decode()
    obs = Observation.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024)
    assert (obs.value, obs.status) == (41.0, "draft")
    # Re-importing the same file changes nothing.
    assert "0 changed: everything in this file is already there" in upload(editor, CSV)
    editor.post("/workspace/members/5001/2024/submit/")
    obs.refresh_from_db()
    assert obs.status == "submitted"
    verifier = as_user(people["verifier"])
    assert "EC: I: WS: 1C" in verifier.get("/workspace/verify/").content.decode()
    verifier.post("/workspace/verify/", {"observation": [obs.pk]})
    score = SeriesScore.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024)
    assert (score.value, score.points) == (41.0, 2)
    profile = Client().get("/members/5001/").content.decode()
    assert "41" in profile


def test_a_bad_file_shows_every_problem_and_offers_no_import(people: dict[str, User]) -> None:
    page = upload(as_user(people["editor_a"]), BAD)
    assert "percentage outside 0–100" in page and "belongs to another member" in page
    assert 'name="token"' not in page


def test_a_file_that_is_not_what_it_claims_gets_a_clear_page_not_a_500(people: dict[str, User]) -> None:
    page = upload(as_user(people["editor_a"]), b"PK\x03\x04 not really a zip", name="values.xlsx")
    assert "cannot be read" in page


def test_undo_from_the_import_history(people: dict[str, User]) -> None:
    editor = as_user(people["editor_a"])
    preview = upload(editor, CSV)
    token = preview.split('name="token" value="')[1].split('"')[0]
    seen = preview.split('name="seen" value="')[1].split('"')[0]
    editor.post("/workspace/upload/confirm/", {"token": token, "member": "", "seen": seen})
    batch = ImportBatch.objects.latest("created_at")
    page = editor.post(f"/workspace/imports/{batch.pk}/undo/", follow=True).content.decode()
    assert f"Import {batch.pk} undone: 2 value(s) restored" in page
    assert Observation.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024).value != 41


def test_two_editors_on_one_value_the_second_gets_the_conflict(people: dict[str, User]) -> None:
    series = Series.objects.get(code="EC: I: WS: 1C")
    url = f"/workspace/members/5001/2024/{series.pk}/"
    first, second = as_user(people["editor_a"]), as_user(people["admin"])
    version = Observation.objects.get(place__code="5001", series=series, year=2024).version
    form = {
        "version": version,
        "value": "",
        "quality": "",
        "numerator": "",
        "denominator": "",
        "data_origin": "",
        "source": "",
        "note": "",
    }
    assert first.post(url, form | {"value": "40"}).status_code == 302
    page = second.post(url, form | {"value": "45"}, follow=True).content.decode()
    assert "was changed by editor_a since you opened it" in page
    assert Observation.objects.get(place__code="5001", series=series, year=2024).value == 40.0


def test_an_invalid_value_is_explained_on_the_form(people: dict[str, User]) -> None:
    series = Series.objects.get(code="EC: I: WS: 1C")
    version = Observation.objects.get(place__code="5001", series=series, year=2024).version
    page = (
        as_user(people["editor_a"])
        .post(f"/workspace/members/5001/2024/{series.pk}/", {"version": version, "value": "150"})
        .content.decode()
    )
    assert "percentage outside 0–100" in page


PAGES = [
    "/workspace/",
    "/workspace/upload/",
    "/workspace/members/5001/2024/",
    "/workspace/verify/",
    "/workspace/imports/",
    "/workspace/members/5001/2024/template.xlsx",
]
EXPECTED = {
    "anonymous": [302, 302, 302, 302, 302, 302],
    "public": [200, 403, 403, 403, 200, 403],
    "editor_a": [200, 200, 200, 403, 200, 200],
    "editor_b": [200, 200, 403, 403, 200, 403],
    "verifier": [200, 403, 403, 200, 200, 403],
    "admin": [200, 200, 200, 200, 200, 200],
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_reaches_what_it_should_and_nothing_more(people: dict[str, User], who: str) -> None:
    client = as_user(people.get(who))
    assert [client.get(page).status_code for page in PAGES] == EXPECTED[who]


@pytest.mark.parametrize("who", ["anonymous", "public", "editor_b", "verifier", "editor_a"])
def test_submit_by_each_role(people: dict[str, User], who: str) -> None:
    # Anonymous is sent to the login page; a user who may not write this member's data gets 403.
    response = as_user(people.get(who)).post("/workspace/members/5001/2024/submit/")
    assert response.status_code == (403 if who in ("public", "editor_b", "verifier") else 302)
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "er en prosent utenfor 0–100"),
        ("nn", "er ein prosent utanfor 0–100"),
        ("en", "percentage outside"),
    ],
)
def test_problems_are_shown_in_the_readers_language(
    people: dict[str, User], language: str, expected: str
) -> None:
    client = Client(headers={"Accept-Language": language})
    client.force_login(people["editor_a"])
    page = client.post("/workspace/upload/", {"file": SimpleUploadedFile("v.csv", BAD), "member": ""})
    assert expected in page.content.decode()


@pytest.mark.parametrize(
    ("language", "not_a_zip", "save_as", "extra_fields"),
    [
        (
            "nb",
            "er ikke en .xlsx-arbeidsbok (en .xlsx-fil er et zip-arkiv; det er ikke denne)",
            "Åpne den i Excel eller LibreOffice og lagre den som «Excel-arbeidsbok (.xlsx)»",
            "raden har 6 felt, overskriftsraden 5",
        ),
        (
            "nn",
            "er ikkje ei .xlsx-arbeidsbok (ei .xlsx-fil er eit zip-arkiv; det er ikkje denne)",
            "Opne ho i Excel eller LibreOffice og lagra ho som «Excel-arbeidsbok (.xlsx)»",
            "rada har 6 felt, overskriftsrada 5",
        ),
        (
            "en",
            "is not an .xlsx workbook (an .xlsx file is a zip archive; this is not)",
            "Open it in Excel or LibreOffice and save it as «Excel-arbeidsbok (.xlsx)»",
            "the row has 6 fields, the header 5",
        ),
    ],
)
def test_a_readers_refusal_is_shown_in_the_readers_language(
    people: dict[str, User], language: str, not_a_zip: str, save_as: str, extra_fields: str
) -> None:
    client = Client(headers={"Accept-Language": language})
    client.force_login(people["editor_a"])
    page = client.post(
        "/workspace/upload/", {"file": SimpleUploadedFile("v.xlsx", b"not a zip archive"), "member": ""}
    ).content.decode()
    assert not_a_zip in page and save_as in page
    # A message with values: the translated template is filled in after translation.
    extra = CSV + b"5001,EC: I: WS: 1C,,2023,40,oops\n"
    page = client.post("/workspace/upload/", {"file": SimpleUploadedFile("v.csv", extra), "member": ""})
    assert extra_fields in page.content.decode()


def test_the_edit_form_names_the_series_and_its_unit(people: dict[str, User]) -> None:
    series = Series.objects.get(code="EN: EN: AQ: 1C/PM2.5")
    page = as_user(people["editor_a"]).get(f"/workspace/members/5001/2024/{series.pk}/").content.decode()
    assert "Air Pollution – Fine particulate matter (PM2.5)</h1>" in page
    assert "Unit: µg/m3" in page


def test_the_workspace_offers_no_template_for_a_year_after_the_place_ended(people: dict[str, User]) -> None:
    admin = as_user(people["admin"])
    response = admin.get("/workspace/members/30/2024/template.xlsx", follow=True)
    assert response.status_code == 200
    assert "30 Viken did not exist in 2024" in response.content.decode()
    assert admin.get("/workspace/members/30/2023/template.xlsx").status_code == 200
