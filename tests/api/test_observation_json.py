"""The observations list is written without pydantic models (api/routers/observations.py): its
bytes are still exactly what pydantic writes for ``Page[ObservationOut]`` — field order, types,
floats, text and nulls — for the public and for a token that sees working values."""

from __future__ import annotations

import math
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from berekraft.api.pagination import Page
from berekraft.api.schemas import ObservationOut
from tests.api.conftest import as_caller

PAGE = Page[ObservationOut]


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "editor_a", "verifier"])
@pytest.mark.parametrize(
    "query",
    [
        {"indicator": "en-en-aq-1c", "limit": 1000},
        {"member": ["5001", "1506"], "year": 2025, "limit": 1000, "sort": "series"},
        {"status": "draft", "limit": 50},
        {"limit": 3, "sort": "year"},
    ],
)
def test_the_list_is_byte_for_byte_what_pydantic_writes(
    who: str | None, query: dict[str, Any], tokens: dict[str, str]
) -> None:
    response = as_caller(tokens[who] if who else None).get("/api/v1/observations", query)
    assert response.status_code == 200
    assert response.content == PAGE.model_validate_json(response.content).model_dump_json().encode()
    items = response.json()["items"]
    if who is None:
        assert all(i["status"] == "verified" and i["version"] is None for i in items)
    elif query.get("status") == "draft":
        assert items and all(i["status"] == "draft" and i["version"] for i in items)


text = st.text(st.characters(codec="utf-8"), max_size=30)
numbers = st.floats(allow_nan=True, allow_infinity=True) | st.none()
items = st.fixed_dictionaries(
    {
        "id": st.integers(1, 2**63 - 1),
        "member": text,
        "series": text,
        "indicator": text,
        "year": st.integers(1900, 2100),
        "value": numbers,
        "quality": text,
        "source": text,
        "data_origin": text,
        "demonstration_data": st.booleans(),
        "status": text,
        "working_value": numbers,
        "version": st.integers(1, 2**31) | st.none(),
        "note": text | st.none(),
        "comment": text | st.none(),
    }
).map(lambda drawn: {name: drawn[name] for name in ObservationOut.model_fields})  # the view's order


@given(rows=st.lists(items, max_size=5), following=text | st.none())
def test_orjson_writes_the_same_bytes_as_pydantic_for_any_page(
    rows: list[dict[str, Any]], following: str | None
) -> None:
    page = {"items": rows, "next": following}
    expected = PAGE.model_validate(page).model_dump_json().encode()
    assert orjson.dumps(page) == expected
    if any(isinstance(r["value"], float) and not math.isfinite(r["value"]) for r in rows):
        assert b"null" in expected  # NaN and infinities are null in both
