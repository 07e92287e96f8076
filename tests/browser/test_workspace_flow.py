"""The data-in issue's done criterion, in Chromium: a member's steward downloads the workbook,
fills it, uploads it, sees every problem, fixes and submits; a verifier verifies; the public
profile shows the new value; an undo puts everything back. Runs after test_site.py (file order)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import openpyxl

from .test_site import login


def fill(path: Path, series: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [str(c.value or "").lower() for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if h.startswith("verdi") or h.startswith("value")) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == series:
            sheet.cell(row=row, column=column, value=value)
    book.save(path)


def upload(page: Any, site: str, path: Path) -> str:
    page.goto(site + "/workspace/upload/")
    page.set_input_files("input[name=file]", str(path))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    return str(page.inner_text("main"))


def eventually(check: Any, seconds: float = 90) -> bool:
    """``check()`` became true within ``seconds``: the scores come from the served site's worker a
    few seconds after a verify or an undo (scores/tasks.py), not in the request."""
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            return False
        time.sleep(0.5)
    return True


def profile_value(page: Any, site: str) -> str:
    """The member's public data twin, fetched as the page's own context would (same cookies)."""
    return str(page.request.get(site + "/members/5001.json").text())


def test_steward_to_verifier_to_public_and_back(site: str, page: Any, browser: Any, tmp_path: Path) -> None:
    before = profile_value(page, site)
    login(page, site, "editor")
    page.goto(site + "/workspace/")
    with page.expect_download() as download:
        page.click("text=Workbook (.xlsx)")
    book = tmp_path / download.value.suggested_filename
    download.value.save_as(book)
    assert book.name.startswith("berekraft-5001-")
    year = book.stem.rsplit("-", 1)[1]

    fill(book, "EC: I: WS: 1C", 410)
    text = upload(page, site, book)
    assert "percentage outside 0–100" in text and "nothing was written" in text

    fill(book, "EC: I: WS: 1C", 41)
    text = upload(page, site, book)
    assert "Import 1 value" in text
    page.click("text=Import 1 value")
    page.wait_for_load_state()
    assert "1 changed" in page.inner_text("main")

    page.goto(f"{site}/workspace/members/5001/{year}/")
    page.click("text=/Submit \\d+ values? for verification/")
    page.wait_for_load_state()
    assert "submitted for verification" in page.inner_text("main")

    checker = browser.new_context(locale="en-GB").new_page()
    login(checker, site, "verifier")
    checker.goto(site + "/workspace/verify/")
    # The queue also holds the demo's own submitted values: check this one.
    checker.check(f'input[name=observation][aria-label="Verify EC: I: WS: 1C Trondheim {year}"]')
    checker.click("text=Verify the checked values")
    checker.wait_for_load_state()
    assert "verified and published" in checker.inner_text("main")
    assert eventually(lambda: "41" in (now := profile_value(checker, site)) and now != before)

    # The import's value is published now: the editor may no longer undo it (issue 7, finding 8) …
    page.goto(site + "/workspace/imports/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "only a verifier or an admin may undo it" in page.inner_text("main")
    assert "41" in profile_value(page, site)
    # … the verifier may, after confirming; the previous published values come back.
    checker.goto(site + "/workspace/imports/")
    checker.locator("main form button[type=submit]").first.click()
    checker.wait_for_load_state()
    checker.click("text=Undo and re-publish the previous values")
    checker.wait_for_load_state()
    assert "undone" in checker.inner_text("main")
    assert eventually(lambda: profile_value(page, site) == before)
    # A download ends its request in Chromium's eyes ("request failed"); nothing else may fail.
    assert [p for p in page.problems if not p.endswith("template.xlsx")] == []
