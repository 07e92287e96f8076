"""Writes to roles."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from berekraft.accounts.models import Role
from berekraft.core.problems import Problem
from berekraft.errors import InputError
from berekraft.places.models import Network, Place


@transaction.atomic
def role_grant(*, user: User, kind: str, network: Network, places: list[Place] | None = None) -> Role:
    """Give ``user`` a role; an editor role needs at least one member place of the network."""
    if kind not in Role.Kind.values:
        raise InputError(
            [Problem(f"unknown role {kind!r}", column="role", hint="Use admin, verifier or editor")]
        )
    places = places or []
    if kind == Role.Kind.EDITOR and not places:
        raise InputError([Problem("an editor needs at least one member", column="member")])
    members = set(network.memberships.values_list("place_id", flat=True))
    outside = [p.code for p in places if p.pk not in members]
    if outside:
        raise InputError([Problem(f"not members of {network.name}: {', '.join(outside)}", column="member")])
    role, _ = Role.objects.get_or_create(user=user, kind=kind, network=network)
    if places:
        role.places.add(*places)
    return role
