"""Nynorsk, bokmål and English: negotiation, the switcher, and catalogues that are complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

from berekraft.web import messages
from berekraft.web.middleware import norwegian_accept_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_no_message_is_untranslated_or_fuzzy(language: str) -> None:
    po = polib.pofile(str(messages.LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 150
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("po", messages.catalogues(), ids=lambda p: p.parts[-3])
def test_compiled_catalogues_are_up_to_date(po: Path) -> None:
    assert po.with_suffix(".mo").read_bytes() == messages.compiled(po), "run scripts/messages compile"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogues_hold_every_message_in_the_source(tmp_path: Path) -> None:
    copy = tmp_path / "berekraft"
    shutil.copytree(
        ROOT / "src" / "berekraft", copy, ignore=shutil.ignore_patterns("static", "data", "__pycache__")
    )
    subprocess.run(
        [
            Path(sys.executable).parent / "django-admin",
            "makemessages",
            "-l",
            "nb",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "berekraft.settings",
            "BEREKRAFT_HOME": str(tmp_path),
            "PYTHONPATH": str(tmp_path),
        },
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    }
    for language in messages.LANGUAGES:
        committed = {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(messages.LOCALE / language / "LC_MESSAGES" / "django.po"))
        }
        assert not fresh - committed, f"new messages not in {language}: run scripts/messages"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("no", "nb"),
        ("no-NO,en;q=0.5", "nb,en;q=0.5"),
        ("en-US,no;q=0.8", "en-US,nb;q=0.8"),
        ("nn-NO", "nn-NO"),
        ("nob", "nob"),
    ],
)
def test_generic_norwegian_is_read_as_bokmal(header: str, expected: str) -> None:
    assert norwegian_accept_language(header) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "lang", "phrase"),
    [
        ("nn-NO,nn;q=0.9", "nn", "Kva bør prioriterast"),
        ("nb", "nb", "Hva bør prioriteres"),
        ("no", "nb", "Hva bør prioriteres"),
        ("en-GB", "en", "Where to focus"),
        ("de-DE", "nb", "Hva bør prioriteres"),
        ("", "nb", "Hva bør prioriteres"),
    ],
)
def test_the_page_follows_accept_language_else_the_default(
    client: Client, accept: str, lang: str, phrase: str
) -> None:
    html = client.get("/members/5001/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{lang}">' in html
    assert phrase in html


@pytest.mark.django_db
def test_the_switcher_overrides_the_browser_and_is_remembered(client: Client) -> None:
    response = client.get("/language/nn/?next=/goals/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/goals/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "nn" and int(cookie["max-age"]) >= 30 * 24 * 3600
    html = client.get("/goals/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nn">' in html and "Berekraftsmåla" in html


@pytest.mark.django_db
def test_the_switcher_refuses_other_sites_and_languages(client: Client) -> None:
    assert client.get("/language/nn/?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/language/de/").status_code == 404


@pytest.mark.django_db
def test_goal_kpi_and_unit_names_follow_the_language(client: Client) -> None:
    nn = client.get("/kpis/", HTTP_ACCEPT_LANGUAGE="nn").content.decode()
    en = client.get("/kpis/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Internettilgang i hushald" in nn and "Household Internet Access" in en
    assert "per 100 000 innbyggjarar" in nn
    assert "Utrydde svolt" in client.get("/goals/", HTTP_ACCEPT_LANGUAGE="nn").content.decode()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("po", messages.catalogues(), ids=lambda p: p.parts[-3])
def test_gnu_msgfmt_accepts_the_catalogues(po: Path) -> None:
    # Format strings must agree between msgid and msgstr, as gettext itself checks them.
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
