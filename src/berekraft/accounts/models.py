"""Roles: who may do what, for which network and members.

- admin (network admin): everything for the network, including other users' roles;
- verifier: verifies or returns submitted values of every member of the network;
- editor (member editor): enters, imports and submits data for the member places bound to the role.

A Django superuser counts as admin everywhere. Anyone without a role is the public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.Model):
    class Kind(models.TextChoices):
        ADMIN = "admin", pgettext_lazy("admin", "network admin")
        VERIFIER = "verifier", pgettext_lazy("admin", "verifier")
        EDITOR = "editor", pgettext_lazy("admin", "member editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=pgettext_lazy("admin", "user"),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=pgettext_lazy("admin", "kind"))
    network = models.ForeignKey(
        "places.Network",
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=pgettext_lazy("admin", "network"),
    )
    places = models.ManyToManyField(
        "places.Place", blank=True, related_name="editor_roles", verbose_name=pgettext_lazy("admin", "places")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "network"], name="one_role_per_kind")]
        verbose_name = pgettext_lazy("admin", "role")
        verbose_name_plural = pgettext_lazy("admin", "roles")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} in {self.network}"


class ApiToken(models.Model):
    """A personal API token: acts as its user, with the user's roles as they are at each request
    (a role taken away is gone from the token too). Only the SHA-256 digest of the secret is stored:
    the secret is high-entropy (``secrets.token_urlsafe``), so a plain hash is enough and a leaked
    table gives nobody a usable token. Shown once, when it is made (accounts/tokens.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=pgettext_lazy("admin", "user"),
    )
    name = models.CharField(max_length=100, verbose_name=pgettext_lazy("admin", "name"))
    prefix = models.CharField(max_length=12, verbose_name=pgettext_lazy("admin", "prefix"))
    digest = models.CharField(max_length=64, unique=True, verbose_name=pgettext_lazy("admin", "digest"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=pgettext_lazy("admin", "created at"))
    expires_at = models.DateTimeField(verbose_name=pgettext_lazy("admin", "expires at"))
    last_used_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "last used")
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "revoked at")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("admin", "API token")
        verbose_name_plural = pgettext_lazy("admin", "API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"
