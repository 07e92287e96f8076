"""Permission questions, answered in one place so that views, services and the CLI agree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from berekraft.accounts.models import Role
from berekraft.places.models import Place

AnyUser = AbstractBaseUser | AnonymousUser


def _kinds(user: AnyUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    if getattr(user, "is_superuser", False):
        return {Role.Kind.ADMIN, Role.Kind.VERIFIER, Role.Kind.EDITOR}
    return set(Role.objects.filter(user_id=user.pk).values_list("kind", flat=True))


def is_admin(user: AnyUser) -> bool:
    return Role.Kind.ADMIN in _kinds(user)


def can_verify(user: AnyUser) -> bool:
    kinds = _kinds(user)
    return Role.Kind.ADMIN in kinds or Role.Kind.VERIFIER in kinds


def editable_places(user: AnyUser) -> list[Place]:
    """The member places whose data ``user`` may write (every member for an admin)."""
    if not user.is_authenticated:
        return []
    if is_admin(user):
        return list(Place.objects.filter(memberships__isnull=False).distinct().order_by("name_nb"))
    return list(
        Place.objects.filter(editor_roles__user_id=user.pk, editor_roles__kind=Role.Kind.EDITOR)
        .distinct()
        .order_by("name_nb")
    )


def can_edit(user: AnyUser, place: Place) -> bool:
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return Role.objects.filter(user_id=user.pk, kind=Role.Kind.EDITOR, places=place).exists()
