"""Personal API tokens: made, named, given an expiry and revoked by their user; looked up by the
API for ``Authorization: Bearer …``.

The secret is ``bk_`` + ``secrets.token_urlsafe(32)`` (256 random bits): it is returned once by
``token_create`` and never stored, only its SHA-256 digest. A token acts as its user with the roles
the user has at the time of each request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from berekraft.accounts.models import ApiToken
from berekraft.core.problems import Problem, gettext_noop
from berekraft.errors import InputError, NotFoundError

PREFIX = "bk_"
MAX_DAYS = 366  # a token lives at most a year; a new one is one click away
# last_used_at is written at most this often per token: reads do not each become a write.
USE_RESOLUTION = timedelta(minutes=5)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid for ``days`` days; returns it and its secret (shown once)."""
    name = name.strip()
    problems = []
    if not name or len(name) > 100:
        problems.append(Problem(gettext_noop("a token needs a name of 1 to 100 characters"), column="name"))
    if not 1 <= days <= MAX_DAYS:
        problems.append(
            Problem(
                gettext_noop("a token expires after 1 to %(max)s days"),
                column="days",
                value=str(days),
                params=(("max", MAX_DAYS),),
            )
        )
    if problems:
        raise InputError(problems, summary="the token was not made")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        digest=digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens (revoking twice changes nothing)."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFoundError(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(*, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def token_user(secret: str) -> User | None:
    """The active user behind a valid (known, unrevoked, unexpired) token secret; else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
