"""The action issue's writing half, in Chromium: the Trondheim editor registers a project linked to
SDG target 11.6 and a KPI, adds an existing partner from other members' projects and a new one
whose organisation number has a wrong check digit (refused at its field, nothing saved), fixes it,
publishes, and records a workshop with 40 participants reaching youth and immigrants."""

from __future__ import annotations

from typing import Any

from .test_site import login

EXISTING = "Demo-universitetet for bærekraft (fiktivt)"  # in several members' demo projects


def click(page: Any, selector: str) -> str:
    """Click a submit button, wait for the page it leads to, and return that page's text."""
    with page.expect_navigation():
        page.click(selector)
    return str(page.inner_text("main"))


def test_editor_registers_a_project_with_partners_and_a_workshop(site: str, page: Any) -> None:
    login(page, site, "editor")
    page.goto(site + "/workspace/action/")
    assert "Trondheim" in page.inner_text("main")
    page.goto(site + "/workspace/action/5001/projects/new/")
    page.fill("#id_title", "Bildeling i Midtbyen")
    page.fill("#id_description", "Færre privatbiler gjennom bildelingsordning i sentrum.")
    page.select_option("#id_status", "ongoing")
    page.fill("#id_progress", "20")
    page.check("input[name=goals][value='11']")
    page.select_option("#id_sdg_targets", ["11.6"])
    series = page.locator("#id_kpis-0-series option").nth(1).get_attribute("value")
    page.select_option("#id_kpis-0-series", series)
    page.select_option("#id_kpis-0-expected", "down")
    page.select_option("#id_partners-0-organisation", label=EXISTING)
    page.select_option("#id_partners-0-role", "research")
    page.fill("#id_new-name", "Midtbyen Bildeling SA")
    page.select_option("#id_new-kind", "business")
    page.fill("#id_new-org_number", "974 760 674")
    page.select_option("#id_new-role", "supplier")
    text = click(page, "main form button[type=submit]:has-text('Save')")
    assert "The check digit (the last digit) does not match" in text
    assert "Nothing was saved" in text
    assert page.input_value("#id_title") == "Bildeling i Midtbyen"  # the input is kept

    page.fill("#id_new-org_number", "971 526 920")
    text = click(page, "main form button[type=submit]:has-text('Save')")
    assert "saved (version 1)" in text
    assert "Draft: not shown to the public." in text
    assert "is published" in click(page, "main button:has-text('Publish')")

    page.goto(site + "/workspace/action/5001/involvement/new/")
    page.fill("#id_title", "Verksted om bildeling")
    page.select_option("#id_method", "workshop")
    page.select_option("#id_project", label="Bildeling i Midtbyen")
    page.fill("#id_start_date", "2025-03-04")
    page.fill("#id_participants", "40")
    page.check("input[name=groups][value='children_youth']")
    page.check("input[name=groups][value='immigrants']")
    assert "saved (version 1)" in click(page, "main form button[type=submit]:has-text('Save')")
    text = click(page, "main button:has-text('Publish')")
    assert "Bildeling i Midtbyen" in text and "Verksted om bildeling" in text
    assert page.problems == []
