"""Demonstration accounts, so a newcomer can try the workspace: an admin, a verifier, an editor of
Trondheim and an editor of Bodø and Rana. The demo's year in progress (2025) is entered, submitted,
verified and returned by these accounts, so its history is real.

Passwords are generated once per installation (never published) and kept in
``$BEREKRAFT_HOME/demo-accounts.txt``, readable by its owner only."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User

from berekraft.accounts.services import role_grant
from berekraft.places.models import Network, Place

ACCOUNTS = (
    ("demo-admin", "admin", ()),
    ("demo-verifier", "verifier", ()),
    ("demo-editor", "editor", ("5001",)),
    ("demo-editor-nord", "editor", ("1804", "1833")),
)


def demo_users(*, network: Network) -> dict[str, User]:
    """The demo accounts with their roles, created when missing (without a usable password until
    :func:`demo_accounts` gives them one)."""
    users = {}
    for username, kind, places in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save()
        role_grant(user=user, kind=kind, network=network, places=list(Place.objects.filter(code__in=places)))
        users[username] = user
    return users


def demo_accounts(*, network: Network) -> Path:
    """Give the demo accounts that have none a password; return the file that lists them."""
    path = Path(settings.HOME) / "demo-accounts.txt"
    known = (
        dict(line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines())
        if path.exists()
        else {}
    )
    for username, user in demo_users(network=network).items():
        if username not in known or not user.has_usable_password():
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            known[username] = password
    path.write_text("".join(f"{u} {p}\n" for u, p in known.items()), encoding="utf-8")
    path.chmod(0o600)
    return path
