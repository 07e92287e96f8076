"""Who is calling: a personal token (``Authorization: Bearer bk_…``) or nobody.

``Token`` is for operations that need a token (writes, coverage): no header, or a bad token, is
401. ``Public`` is for public reads: without a header the caller is ``ANONYMOUS``, rate limited per
client address through Django's cache (accounts/limits.py); a header that is sent must be a valid
token (a revoked one is 401, not silently anonymous). Session cookies are not read: the API has no
CSRF exposure and a browser's login does not leak into scripts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja.errors import AuthenticationError, Throttled
from ninja.security import HttpBearer

from berekraft.accounts import limits
from berekraft.accounts.client import client_address
from berekraft.accounts.tokens import token_user

WINDOW = 60  # seconds: API_ANON_REQUESTS is per minute


class Anonymous(AnonymousUser):
    """The public caller; truthy, so that django-ninja takes it as authenticated-as-public."""

    def __bool__(self) -> bool:
        return True


ANONYMOUS = Anonymous()
Caller = User | Anonymous


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthenticationError(message="the Authorization header is not 'Bearer <token>'")
    return secret.strip()


def _user(secret: str) -> User:
    user = token_user(secret)
    if user is None:
        raise AuthenticationError(message="the token is unknown, expired or revoked")
    return user


class Token(HttpBearer):
    """A valid personal token is required."""

    def __call__(self, request: HttpRequest) -> Any:
        secret = _bearer(request)
        return None if secret is None else _user(secret)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _user(token)


class Public(HttpBearer):
    """A token if one is sent, else the rate-limited public."""

    def __call__(self, request: HttpRequest) -> Any:
        secret = _bearer(request)
        if secret is not None:
            return _user(secret)
        if not limits.allow(
            "api-anonymous", [client_address(request)], limit=settings.API_ANON_REQUESTS, window=WINDOW
        ):
            raise Throttled(wait=WINDOW)
        return ANONYMOUS

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _user(token)


def caller(request: HttpRequest) -> Caller:
    found = getattr(request, "auth", None)
    return found if isinstance(found, User) else ANONYMOUS


def user_of(request: HttpRequest) -> User:
    """The token's user of an operation that requires ``Token``."""
    found = getattr(request, "auth", None)
    if not isinstance(found, User):
        raise AuthenticationError()
    return found
