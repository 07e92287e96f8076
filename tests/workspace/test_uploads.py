"""Uploads (issue 7, finding 11): the request is capped before it is read, only what is accepted
is stored, nothing stays on disk after confirm, cancel or refusal (and stale files are swept), and
problems name the user's file, not the stored one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

CSV = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,41\n5001,EN: EN: AQ: 1C,PM2.5,2024,6.5\n"
BAD = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,410\n"


def stored() -> list[Path]:
    """Every file under the uploads folder, however it is laid out."""
    folder = Path(settings.HOME) / "uploads"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def editor(people: dict[str, User]) -> Client:
    for path in stored():
        path.unlink()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["editor_a"])
    return client


def post(client: Client, content: bytes, name: str = "values.csv"):  # type: ignore[no-untyped-def]
    return client.post("/workspace/upload/", {"file": SimpleUploadedFile(name, content), "member": ""})


def token_of(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


@override_settings(IMPORT_MAX_BYTES=100_000)
def test_a_too_large_upload_is_refused_and_leaves_nothing_on_disk(editor: Client) -> None:
    # 150 kB: within the form's overhead as declared, so it is the delivered bytes that stop it.
    response = post(editor, CSV + b"5001,EC: I: WS: 1C,,2023,40\n" * 5400, name="big values.csv")
    assert response.status_code == 413
    problems = response.content.decode().split('class="problems"')[1]
    assert "big values.csv" in problems
    assert "the file is larger than the 0.1 MB accepted; it was not stored" in problems
    assert stored() == []


@override_settings(IMPORT_MAX_BYTES=100_000)
def test_a_request_declaring_too_many_bytes_is_refused_before_it_is_read(editor: Client) -> None:
    body = b"x" * 10
    response = editor.generic(
        "POST",
        "/workspace/upload/",
        body,
        content_type="multipart/form-data; boundary=zzz",
        CONTENT_LENGTH="50000000",
    )
    assert response.status_code == 413
    assert stored() == []


def test_nothing_stays_on_disk_after_confirm(editor: Client) -> None:
    page = post(editor, CSV).content.decode()
    assert len(stored()) == 1  # kept for the confirmation, and only that
    seen = page.split('name="seen" value="')[1].split('"')[0]
    editor.post("/workspace/upload/confirm/", {"token": token_of(page), "seen": seen, "member": ""})
    assert stored() == []


def test_nothing_stays_on_disk_after_cancel(editor: Client) -> None:
    page = post(editor, CSV).content.decode()
    response = editor.post("/workspace/upload/cancel/", {"token": token_of(page), "member": ""})
    assert response.status_code == 302
    assert stored() == []


def test_nothing_stays_on_disk_after_a_refusal_or_errors(editor: Client) -> None:
    page = post(editor, b"PK\x03\x04 not really a zip", name="Min arbeidsbok.xlsx").content.decode()
    assert "cannot be read" in page
    assert stored() == []
    assert "percentage outside" in post(editor, BAD).content.decode()
    assert stored() == []


def test_problems_name_the_users_file_not_the_stored_one(editor: Client) -> None:
    page = post(editor, b"PK\x03\x04 not really a zip", name="Min arbeidsbok.xlsx").content.decode()
    assert "Min arbeidsbok.xlsx" in page.split('class="problems"')[1]
    page = post(editor, BAD, name="tall 2024.csv").content.decode()
    assert "tall 2024.csv" in page.split('class="problems"')[1]


def test_stale_uploads_are_swept_by_the_next_upload(editor: Client) -> None:
    page = post(editor, CSV).content.decode()
    assert token_of(page)
    (old,) = stored()
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    os.utime(old.parent, (day_and_a_bit, day_and_a_bit))
    post(editor, CSV)
    assert old not in stored() and len(stored()) == 1
