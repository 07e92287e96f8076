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
