"""schemathesis against /api/v1/openapi.json (a bounded number of examples per operation, on the
test database through the WSGI app): no server error, every response as its schema says, both for
the public and for an admin's token (whose writes roll back with the test). The action registers
hold the demo's projects, so their lists answer with rows to check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from berekraft.wsgi import application

pytestmark = pytest.mark.django_db(transaction=False)
EXAMPLES = 8


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request; the test's transaction
    lives on it (Django's own test client switches this off the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@override_settings(API_ANON_REQUESTS=10**6)
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    who: str, tokens: dict[str, str], registers: dict[str, Any]
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {tokens['admin']}"} if who == "admin" else {}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            # Not "positive data acceptance": a cursor the API never gave out, or year_from after
            # year_to, fits the schema's types and is rightly a 400 that names the parameter.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:  # collect them all, then fail once with every operation named
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
