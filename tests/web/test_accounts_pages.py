"""Login (rate-limited), logout, password change and reset; the navigation each role sees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client

from berekraft.accounts import outbox
from berekraft.accounts.services import role_grant
from berekraft.places.models import Network, Place

pytestmark = pytest.mark.django_db
PASSWORD = "a long Passphrase 42"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def en(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def user(name: str, kind: str | None = None, *members: str) -> User:
    u = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
    if kind:
        network = Network.objects.get(code="baerekraftsnettverket")
        role_grant(user=u, kind=kind, network=network, places=list(Place.objects.filter(code__in=members)))
    return u


def test_login_and_logout(en: Client) -> None:
    user("ola")
    response = en.post("/accounts/login/", {"username": "ola", "password": PASSWORD})
    assert response.status_code == 302
    assert "ola" in en.get("/").content.decode()
    assert en.post("/accounts/logout/").status_code == 302
    assert "Log in" in en.get("/").content.decode()


def test_login_is_locked_per_user_name_and_address(en: Client) -> None:
    user("kari")
    for _ in range(4):
        assert en.post("/accounts/login/", {"username": "kari", "password": "wrong"}).status_code == 200
    assert en.post("/accounts/login/", {"username": "kari", "password": "wrong"}).status_code == 429
    blocked = en.post("/accounts/login/", {"username": "kari", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    elsewhere = en.post(
        "/accounts/login/", {"username": "kari", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert elsewhere.status_code == 302


def test_password_change_needs_login_and_works(en: Client) -> None:
    assert en.get("/accounts/password/").status_code == 302
    en.force_login(user("per"))
    response = en.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another Passphrase 7",
            "new_password2": "another Passphrase 7",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="per").check_password("another Passphrase 7")


def test_password_reset_sends_a_link_by_email(en: Client) -> None:
    user("siri")
    response = en.post("/accounts/reset/", {"email": "siri@example.org"})
    assert response.status_code == 302
    outbox.wait()  # sent in the background (accounts/outbox.py)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = en.get(path, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content


@pytest.mark.parametrize(
    ("kind", "members", "workspace", "coverage", "admin"),
    [
        (None, (), False, False, False),
        ("editor", ("5001",), True, False, False),
        ("verifier", (), True, True, False),
        ("admin", (), True, True, True),
    ],
)
def test_each_role_sees_its_links_and_nothing_more(
    en: Client, kind: str | None, members: tuple[str, ...], workspace: bool, coverage: bool, admin: bool
) -> None:
    if kind is not None:
        en.force_login(user(f"u-{kind}", kind, *members))
    html = en.get("/").content.decode()
    assert ('href="/workspace/"' in html) is workspace
    assert ('href="/coverage/"' in html) is coverage
    assert ('href="/admin/"' in html) is admin
    assert (en.get("/coverage/").status_code == 200) is coverage
    assert (en.get("/coverage.json").status_code == 200) is coverage


def test_coverage_counts_every_member_and_series(en: Client) -> None:
    en.force_login(user("v", "verifier"))
    html = en.get("/coverage/").content.decode()
    assert "st-verified" in html
    statuses = ("verified", "submitted", "draft", "returned", "missing")
    for year, members in (("2025", 14), ("2024", 14), ("2023", 15)):  # Viken left on 2023-12-31
        data = en.get(f"/coverage.json?year={year}").json()
        assert len(data["rows"]) == members, year
        assert all(sum(r[st] for st in statuses) == 112 for r in data["rows"]), year
    latest = en.get("/coverage.json").json()  # the latest year with data: 2025, in progress
    assert latest == en.get("/coverage.json?year=2025").json()
    assert all(sum(r[st] for r in latest["rows"]) for st in statuses)  # the demo's 2025 has each status
