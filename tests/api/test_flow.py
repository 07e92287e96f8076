"""The issue's "Done when", as a new user would go through it, with the Django test client (on
SQLite, and on PostgreSQL with BEREKRAFT_DATABASE_URL): an analyst lists the members and pulls one
KPI for all members and years; an editor makes a token in the workspace, uploads a file with an
error, reads the problems, fixes it, uploads again and submits; the verifier verifies with their
own token; the public API shows the value; a stale If-Match gets 409; a revoked token gets 401."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from berekraft.catalogue.models import Series
from berekraft.observations.models import Observation
from tests.api.conftest import as_caller

pytestmark = pytest.mark.django_db

SERIES = "EC: I: WS: 1C"  # % of households with a piped water supply: 410 is impossible


def workspace_token(client: Client, name: str) -> str:
    page = client.post("/workspace/tokens/", {"name": name, "days": 30}).content.decode()
    found = re.search(r'<code id="token-secret">([^<]+)</code>', page)
    assert found, page
    return found.group(1)


def test_the_api_as_a_new_user_goes_through_it(people: dict[str, Any]) -> None:
    public = as_caller(None)
    # An analyst: the network's members, then one KPI for all members and all years.
    network = public.get("/api/v1/networks/baerekraftsnettverket").json()
    codes = [m["code"] for m in network["members"]]
    assert "5001" in codes and len(codes) == 15
    rows, cursor = [], None
    while True:
        query = {"indicator": "en-en-aq-1c", "limit": 50, **({"cursor": cursor} if cursor else {})}
        page = public.get("/api/v1/observations", query).json()
        rows += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    published = Observation.objects.filter(
        series__indicator__code="EN: EN: AQ: 1C", published_value__isnull=False
    ).count()
    assert len(rows) == published and len({r["id"] for r in rows}) == published
    assert {r["status"] for r in rows} == {"verified"} and all(r["version"] is None for r in rows)

    # The editor of Trondheim makes a token in the workspace; it is shown once, stored hashed.
    editor_browser = Client()
    editor_browser.force_login(people["editor_a"])
    editor_token = workspace_token(editor_browser, "my script")
    assert editor_token not in editor_browser.get("/workspace/tokens/").content.decode()
    editor = as_caller(editor_token)
    year = 2025
    assert not Observation.objects.filter(place__code="5001", series__code=SERIES, year=year).exists()

    # A file with an error: 422, every problem with where, what and how to fix; nothing written.
    bad = f"place,indicator,series,year,value\n5001,{SERIES},,{year},410\n".encode()
    response = editor.post("/api/v1/imports", {"file": SimpleUploadedFile("water.csv", bad)})
    assert response.status_code == 422
    problems = response.json()["errors"]
    assert any("water.csv" in p["where"] and "row 2" in p["where"] for p in problems), problems
    assert not Observation.objects.filter(place__code="5001", series__code=SERIES, year=year).exists()

    # Fixed: a dry run says what would change and writes nothing; then the import.
    good = f"place,indicator,series,year,value\n5001,{SERIES},,{year},99.5\n".encode()
    dry = editor.post("/api/v1/imports", {"file": SimpleUploadedFile("water.csv", good), "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["new"] == 1 and dry.json()["batch"] is None
    assert not Observation.objects.filter(place__code="5001", series__code=SERIES, year=year).exists()
    done = editor.post("/api/v1/imports", {"file": SimpleUploadedFile("water.csv", good)})
    assert done.status_code == 200 and done.json()["batch"] is not None

    # Submit the year; the editor sees its working value, status and version.
    assert editor.post(f"/api/v1/members/5001/years/{year}/submit").json()["count"] >= 1
    slug = "ec-i-ws-1c"
    mine = editor.get(f"/api/v1/values/5001/{slug}/{year}")
    value = mine.json()
    assert value["status"] == "submitted" and value["working_value"] == 99.5
    assert mine["ETag"] == f'"{value["version"]}"'
    assert (
        public.get("/api/v1/observations", {"member": "5001", "series": slug, "year": year}).json()["items"]
        == []
    )

    # The verifier verifies with their own token; the public API shows the value.
    verifier_browser = Client()
    verifier_browser.force_login(people["verifier"])
    verifier = as_caller(workspace_token(verifier_browser, "verifying"))
    assert editor.post(f"/api/v1/observations/{value['id']}/verify").status_code == 403
    assert verifier.post(f"/api/v1/observations/{value['id']}/verify").json() == {"count": 1}
    shown = public.get("/api/v1/observations", {"member": "5001", "series": slug, "year": year}).json()[
        "items"
    ]
    assert [(r["value"], r["status"]) for r in shown] == [(99.5, "verified")]
    scores = public.get("/api/v1/scores/series", {"member": "5001", "series": slug, "year": year}).json()
    assert [s["value"] for s in scores["items"]] == [99.5]

    # A change with the version read before the verification is stale: 409, nothing changed.
    stale = editor.put(
        f"/api/v1/values/5001/{slug}/{year}",
        {"value": "98"},
        content_type="application/json",
        headers={"If-Match": f'"{value["version"]}"'},
    )
    assert stale.status_code == 409 and stale.json()["errors"][0]["what"]
    after = Observation.objects.get(place__code="5001", series__code=SERIES, year=year)
    assert (after.value, after.status, after.version) == (99.5, "verified", value["version"] + 1)
    fresh = editor.put(
        f"/api/v1/values/5001/{slug}/{year}",
        {"value": "98"},
        content_type="application/json",
        headers={"If-Match": str(after.version)},
    )
    assert fresh.status_code == 200 and fresh.json()["status"] == "draft"
    assert fresh.json()["value"] == 99.5  # the published value stays until verified again

    # Revoked in the workspace: 401 from then on, also on public reads.
    token_id = people["editor_a"].api_tokens.get().pk
    editor_browser.post(f"/workspace/tokens/{token_id}/revoke/")
    for response in (editor.get(f"/api/v1/values/5001/{slug}/{year}"), editor.get("/api/v1/goals")):
        assert response.status_code == 401
        assert response.json()["errors"][0]["where"] == "Authorization"
    assert Series.objects.filter(code=SERIES).exists()
