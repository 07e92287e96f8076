from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    """A test marked ``django_db(transaction=True)`` commits for real and is flushed afterwards,
    which also removes the reference and demo data that tests/conftest.py loads once per test
    database: load them again, after the flush, for the tests that follow."""
    result = yield
    marker = item.get_closest_marker("django_db")
    # After the last test the test database is already gone: nothing to load.
    if nextitem is not None and marker is not None and marker.kwargs.get("transaction"):
        from tests.conftest import load_shared_data

        with item.config.stash[blocking_manager_key].unblock():
            load_shared_data()
    return result
