"""Login lock-out (issue 7, finding 14): failed logins lock the pair (user name, client address),
for a cool-off of 15 minutes, reset by a successful login; the client address behind a trusted
reverse proxy is the one the proxy saw, and is never taken from a header without one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db
PASSWORD = "a long Passphrase 42"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def accounts(db: None) -> None:
    for name in ("kari", "ola"):
        User.objects.create_user(name, f"{name}@example.org", PASSWORD)


def login(client: Client, username: str, password: str, address: str, **headers: str) -> int:
    response = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    client.logout()
    return response.status_code


def fail(client: Client, username: str, address: str, times: int = 5, **headers: str) -> None:
    """``times`` wrong passwords; the fifth one locks (its answer is the lock-out page)."""
    for n in range(1, times + 1):
        assert login(client, username, "wrong", address, **headers) == (429 if n == 5 else 200)


def test_five_failures_lock_that_user_from_that_address_only(client: Client) -> None:
    fail(client, "kari", "192.0.2.1")
    locked = client.post(
        LOGIN, {"username": "kari", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # The owner, from another address, still gets in …
    assert login(client, "kari", PASSWORD, "198.51.100.7") == 302
    # … and so does everyone else behind the attacker's address (one proxy, one office).
    assert login(client, "ola", PASSWORD, "192.0.2.1") == 302


def test_the_lock_ends_after_the_cool_off(client: Client) -> None:
    from axes.models import AccessAttempt

    fail(client, "kari", "192.0.2.1")
    assert login(client, "kari", PASSWORD, "192.0.2.1") == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert login(client, "kari", PASSWORD, "192.0.2.1") == 302


def test_a_successful_login_resets_the_count(client: Client) -> None:
    fail(client, "kari", "192.0.2.1", times=4)
    assert login(client, "kari", PASSWORD, "192.0.2.1") == 302
    fail(client, "kari", "192.0.2.1", times=4)
    assert login(client, "kari", PASSWORD, "192.0.2.1") == 302


@pytest.mark.parametrize(
    ("language", "title"),
    [("nb", "For mange forsøk"), ("nn", "For mange forsøk"), ("en", "Too many attempts")],
)
def test_the_lock_out_page_speaks_the_readers_language(client: Client, language: str, title: str) -> None:
    fail(client, "kari", "192.0.2.1")
    page = client.post(
        LOGIN,
        {"username": "kari", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert page.status_code == 429
    assert f"<h1>{title}</h1>" in page.content.decode()


def test_without_trusted_proxies_a_forwarded_header_changes_nothing(client: Client) -> None:
    """An attacker cannot dodge the lock by sending a new X-Forwarded-For each time."""
    for n in range(4):
        assert login(client, "kari", "wrong", "192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") == 200
    assert login(client, "kari", "wrong", "192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.4") == 429
    assert login(client, "kari", PASSWORD, "192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.99") == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(
    client: Client, settings: object
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # type: ignore[attr-defined]
    proxy = "10.1.2.3"
    fail(client, "kari", proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert login(client, "kari", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5") == 429
    # Another client behind the same proxy is not locked out; a forged left-most entry is ignored.
    assert login(client, "kari", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.8") == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("192.0.2.1", "", "192.0.2.1"),
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),  # not from a trusted proxy: the header is ignored
        ("10.1.2.3", "203.0.113.5", "203.0.113.5"),
        ("10.1.2.3", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the right-most entry the proxy added
        ("10.1.2.3", "203.0.113.5, 10.9.9.9", "203.0.113.5"),  # two trusted proxies in a row
        ("10.1.2.3", "", "10.1.2.3"),
        ("10.1.2.3", "not an address", "10.1.2.3"),
    ],
)
def test_client_address(remote: str, forwarded: str, expected: str) -> None:
    from berekraft.accounts.client import client_address_from

    assert client_address_from(remote, forwarded, ["10.0.0.0/8"]) == expected
