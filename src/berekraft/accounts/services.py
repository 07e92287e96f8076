"""Writes to roles, and the Django-admin access that goes with the admin role."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Q

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
    admin_access_sync(user=user)
    return role


ADMIN_GROUP = "network admins"
# What the admin role may do in Django's admin: the catalogue, targets, places and networks,
# roles and users in full; change history read only; clear login lock-outs. Never groups or
# permissions, so it cannot give itself or anyone more (accounts/admin.py keeps superuser off
# the user form).
_ADMIN_PERMISSIONS = (
    Q(content_type__app_label__in=["catalogue", "places", "accounts", "action"])
    | Q(
        content_type__app_label="auth",
        content_type__model="user",
        codename__in=["add_user", "change_user", "view_user"],
    )
    | Q(content_type__app_label="observations", codename__startswith="view_")
    | Q(content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"])
)


def admin_group() -> Group:
    """The group behind the admin role, its permissions set afresh (they may have grown)."""
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(_ADMIN_PERMISSIONS))
    return group


def admin_access_sync(*, user: User) -> None:
    """Give a user with the admin role Django-admin access (staff, the admin group); take it
    away when the role is gone, unless the user is a superuser or was given other admin rights
    by hand. Called whenever a role is saved or deleted (accounts/apps.py)."""
    if not User.objects.filter(pk=user.pk).exists():
        return  # the user itself is being deleted
    group = admin_group()
    if Role.objects.filter(user=user, kind=Role.Kind.ADMIN).exists():
        user.groups.add(group)
        staff = True
    else:
        user.groups.remove(group)
        staff = user.is_superuser or user.groups.exists() or user.user_permissions.exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
