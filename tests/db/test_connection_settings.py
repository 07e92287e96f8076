"""How berekraft talks to its database: the settings each connection starts with."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.django_db


def test_postgresql_connections_run_without_jit() -> None:
    """JIT compiling cost a full-text search 27 ms to save nothing (settings._database)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_connections_enforce_foreign_keys() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("an SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_a_connection_outlives_the_request_that_opened_it() -> None:
    """Kept between requests (CONN_MAX_AGE), on SQLite as on PostgreSQL: a new SQLite connection
    parses the schema again and starts with an empty page cache, 3 ms of every API read."""
    handler = ConnectionHandler({"default": dict(connection.settings_dict)})
    opened = handler["default"]
    try:
        opened.ensure_connection()
        first = opened.connection
        opened.close_if_unusable_or_obsolete()  # what Django does when a request ends
        assert opened.connection is first and first is not None
    finally:
        opened.close()
