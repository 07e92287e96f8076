"""Template context for every page: the navigation a user's roles open, and the language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from berekraft.accounts.models import Role
from berekraft.web.views.base import scores_updating

LANGUAGE_LABELS = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def site(request: HttpRequest) -> dict[str, Any]:
    """``roles``: the user's role kinds (none for the public; one query for a logged-in user)."""
    user = getattr(request, "user", None)
    kinds: set[str] = set()
    if user is not None and user.is_authenticated:
        if user.is_superuser:
            kinds = {Role.Kind.ADMIN, Role.Kind.VERIFIER, Role.Kind.EDITOR}
        else:
            kinds = set(Role.objects.filter(user_id=user.pk).values_list("kind", flat=True))
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    return {
        "roles": kinds,
        "can_work": bool(kinds),
        "can_verify": bool(kinds & {Role.Kind.ADMIN, Role.Kind.VERIFIER}),
        "is_network_admin": Role.Kind.ADMIN in kinds,
        "language_choices": [
            {"code": code, "label": LANGUAGE_LABELS[code], "current": code == current}
            for code, _ in settings.LANGUAGES
        ],
        "here": request.get_full_path(),
        # Called only where a template asks (base.html): "scores are being updated".
        "scores_updating": lambda: scores_updating(request),
    }
