"""Demonstration accounts, so a newcomer can try the workspace: an admin, a verifier and an editor
of Trondheim. Passwords are generated once per installation (never published) and kept in
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
)


def demo_accounts(*, network: Network) -> Path:
    """Create the demo accounts that are missing; return the file that lists them."""
    path = Path(settings.HOME) / "demo-accounts.txt"
    known = (
        dict(line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines())
        if path.exists()
        else {}
    )
    for username, kind, places in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None or username not in known:
            password = secrets.token_urlsafe(12)
            user = user or User(username=username)
            user.set_password(password)
            user.save()
            known[username] = password
        role_grant(user=user, kind=kind, network=network, places=list(Place.objects.filter(code__in=places)))
    path.write_text("".join(f"{u} {p}\n" for u, p in known.items()), encoding="utf-8")
    path.chmod(0o600)
    return path
