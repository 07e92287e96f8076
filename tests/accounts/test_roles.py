"""Who may do what: roles answered in one place."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.core.management.base import CommandError

from berekraft.accounts.selectors import can_edit, can_verify, editable_places, is_admin
from berekraft.accounts.services import role_grant
from berekraft.errors import InputError
from berekraft.places.models import Network, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def network() -> Network:
    return Network.objects.get(code="baerekraftsnettverket")


def test_editor_writes_only_its_own_members(network: Network) -> None:
    user = User.objects.create_user("steward")
    trondheim, molde = Place.objects.get(code="5001"), Place.objects.get(code="1506")
    role_grant(user=user, kind="editor", network=network, places=[trondheim])
    assert can_edit(user, trondheim) and not can_edit(user, molde)
    assert editable_places(user) == [trondheim]
    assert not can_verify(user) and not is_admin(user)


def test_verifier_verifies_but_does_not_edit(network: Network) -> None:
    user = User.objects.create_user("checker")
    role_grant(user=user, kind="verifier", network=network)
    assert can_verify(user) and not can_edit(user, Place.objects.get(code="5001"))


def test_admin_and_superuser_do_everything(network: Network) -> None:
    admin = User.objects.create_user("secretariat")
    role_grant(user=admin, kind="admin", network=network)
    root = User.objects.create_superuser("root")
    for user in (admin, root):
        assert is_admin(user) and can_verify(user) and can_edit(user, Place.objects.get(code="1103"))
        assert len(editable_places(user)) == 15


def test_the_public_can_do_nothing() -> None:
    anonymous = AnonymousUser()
    assert not can_edit(anonymous, Place.objects.get(code="5001"))
    assert not can_verify(anonymous) and editable_places(anonymous) == []


def test_an_editor_must_be_bound_to_members_of_the_network(network: Network) -> None:
    user = User.objects.create_user("x")
    with pytest.raises(InputError, match="problem"):
        role_grant(user=user, kind="editor", network=network)
    with pytest.raises(InputError) as caught:
        role_grant(user=user, kind="editor", network=network, places=[Place.objects.get(code="0301")])
    assert "not members" in str(caught.value.problems[0])


def test_grant_command(network: Network) -> None:
    User.objects.create_user("cli-user")
    call_command("grant", "cli-user", "--role", "editor", "--member", "1505")
    assert can_edit(User.objects.get(username="cli-user"), Place.objects.get(code="1505"))
    with pytest.raises(CommandError, match="no place"):
        call_command("grant", "cli-user", "--role", "editor", "--member", "9999")
    with pytest.raises(CommandError, match="no user"):
        call_command("grant", "nobody", "--role", "admin")


def test_demo_accounts_are_created_once_with_private_passwords(network: Network) -> None:
    from berekraft.accounts.demo import demo_accounts

    path = demo_accounts(network=network)
    first = path.read_text(encoding="utf-8")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    editor = User.objects.get(username="demo-editor")
    password = dict(line.split(" ") for line in first.splitlines())["demo-editor"]
    assert editor.check_password(password)
    assert can_edit(editor, Place.objects.get(code="5001")) and not can_edit(
        editor, Place.objects.get(code="1103")
    )
    demo_accounts(network=network)
    assert path.read_text(encoding="utf-8") == first  # running the demo again keeps the passwords
