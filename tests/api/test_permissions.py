"""Every API write × the six kinds of caller: admin, verifier, editor of this member (Trondheim,
5001), editor of another member (Molde), a token without a role, and no token. Where the caller
is not allowed, the answer is 401 or 403 and nothing is written (no value, history row or batch
changes); where it is, the write happens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
from berekraft.web.selectors.common import series_slug
from tests.api.conftest import as_caller

pytestmark = pytest.mark.django_db

CALLERS = ["admin", "verifier", "editor_a", "editor_b", "public", "anonymous"]
CSV = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2025,97\n"


def _submitted() -> Observation:
    found = Observation.objects.filter(place__code="5001", status="submitted").order_by("pk").first()
    assert found is not None, "the demo has submitted values for Trondheim"
    return found


def _draft() -> Observation:
    found = Observation.objects.filter(place__code="5001", status="draft", year=2025).order_by("pk").first()
    assert found is not None, "the demo has drafts for Trondheim"
    return found


def edit(client: Client) -> Any:
    o = _draft()
    slug = series_slug(o.series.code)
    return client.put(
        f"/api/v1/values/5001/{slug}/{o.year}",
        {"value": "12,5"},
        content_type="application/json",
        headers={"If-Match": str(o.version)},
    )


def submit(client: Client) -> Any:
    return client.post("/api/v1/members/5001/years/2025/submit")


def verify(client: Client) -> Any:
    return client.post(f"/api/v1/observations/{_submitted().pk}/verify")


def verify_many(client: Client) -> Any:
    return client.post(
        "/api/v1/observations/verify", {"ids": [_submitted().pk]}, content_type="application/json"
    )


def return_value(client: Client) -> Any:
    return client.post(
        f"/api/v1/observations/{_submitted().pk}/return",
        {"comment": "check the source"},
        content_type="application/json",
    )


def upload(client: Client) -> Any:
    return client.post("/api/v1/imports", {"file": SimpleUploadedFile("v.csv", CSV), "member": "5001"})


WRITES: dict[str, tuple[Callable[[Client], Any], set[str]]] = {
    "edit": (edit, {"admin", "editor_a"}),
    "submit": (submit, {"admin", "editor_a"}),
    "verify": (verify, {"admin", "verifier"}),
    "verify_many": (verify_many, {"admin", "verifier"}),
    "return": (return_value, {"admin", "verifier"}),
    "upload": (upload, {"admin", "editor_a"}),
}


def state() -> tuple[object, ...]:
    return (
        ObservationHistory.objects.count(),
        ImportBatch.objects.count(),
        tuple(
            Observation.objects.order_by("pk").values_list(
                "pk", "value", "status", "version", "published_value"
            )
        ),
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_is_done_only_by_the_callers_allowed(
    write: str, caller: str, tokens: dict[str, str]
) -> None:
    call, allowed = WRITES[write]
    client = as_caller(tokens.get(caller))
    before = state()
    response = call(client)
    if caller in allowed:
        assert response.status_code == 200, response.content
        assert state() != before
    else:
        assert response.status_code == (401 if caller == "anonymous" else 403), response.content
        assert set(response.json()) == {"errors"}
        assert state() == before
