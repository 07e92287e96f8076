from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    """Each test starts with empty rate-limit counters."""
    cache.clear()


@pytest.fixture
def tokens(people: dict[str, Any]) -> dict[str, str]:
    """A personal token for each of the people (admin, verifier, editor_a of 5001, editor_b of
    1506, public: logged in without a role)."""
    from berekraft.accounts.tokens import token_create

    return {name: token_create(user=user, name="test", days=30)[1] for name, user in people.items()}


def as_caller(secret: str | None) -> Client:
    headers = {"Accept-Language": "en"}
    if secret:
        headers["Authorization"] = f"Bearer {secret}"
    return Client(headers=headers)
