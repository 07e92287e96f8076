"""The admin role can use Django's admin (issue 7, finding 28, admin half): the link it sees
works; nobody else sees it; and the role cannot make anyone, itself included, a superuser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from berekraft.accounts.models import Role
from berekraft.accounts.services import role_grant
from berekraft.places.models import Network, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def network() -> Network:
    return Network.objects.get(code="baerekraftsnettverket")


def grant(name: str, kind: str, network: Network, *members: str) -> User:
    user = User.objects.create_user(name, f"{name}@example.org")
    role_grant(user=user, kind=kind, network=network, places=list(Place.objects.filter(code__in=members)))
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "page",
    [
        "/admin/",
        "/admin/catalogue/target/",
        "/admin/catalogue/target/add/",
        "/admin/places/network/",
        "/admin/accounts/role/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ],
)
def test_the_admin_role_can_use_the_admin(client: Client, network: Network, page: str) -> None:
    client.force_login(grant("secretariat", "admin", network))
    assert client.get(page, HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_the_demo_admin_can_use_the_admin(
    client: Client, network: Network, settings: Any, tmp_path: Path
) -> None:
    from berekraft.accounts.demo import demo_accounts

    settings.HOME = tmp_path
    demo_accounts(network=network)
    client.force_login(User.objects.get(username="demo-admin"))
    home = client.get("/").content.decode()
    assert 'href="/admin/"' in home
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("kind", "members"), [("editor", ("5001",)), ("verifier", ())])
def test_other_roles_neither_see_nor_enter_the_admin(
    client: Client, network: Network, kind: str, members: tuple[str, ...]
) -> None:
    client.force_login(grant(f"u-{kind}", kind, network, *members))
    assert 'href="/admin/"' not in client.get("/").content.decode()
    assert client.get("/admin/").status_code == 302  # to the admin's login: not staff


def test_the_navigation_links_an_editor_sees_all_open(client: Client, network: Network) -> None:
    client.force_login(grant("steward", "editor", network, "5001"))
    html = client.get("/").content.decode()
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    for href in sorted(set(re.findall(r'href="(/[^"]*)"', nav))):
        assert client.get(href).status_code != 403, href


def test_the_admin_role_cannot_make_a_superuser(client: Client, network: Network) -> None:
    admin = grant("secretariat", "admin", network)
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(admin)
    own = client.get(f"/admin/auth/user/{admin.pk}/change/").content.decode()
    assert 'name="username"' in own
    assert 'name="is_superuser"' not in own and 'name="user_permissions"' not in own
    assert 'name="groups"' not in own
    other = client.get(f"/admin/auth/user/{boss.pk}/change/").content.decode()
    assert 'name="password"' not in other and 'name="is_superuser"' not in other  # view only
    client.post(f"/admin/auth/user/{boss.pk}/change/", {"username": "boss", "is_active": ""})
    assert User.objects.get(pk=boss.pk).is_active


def test_losing_the_admin_role_closes_the_admin(client: Client, network: Network) -> None:
    admin = grant("secretariat", "admin", network)
    Role.objects.filter(user=admin).delete()
    client.force_login(User.objects.get(pk=admin.pk))
    assert client.get("/admin/").status_code == 302
