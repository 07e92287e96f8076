"""Roles: who may do what, for which network and members.

- admin (network admin): everything for the network, including other users' roles;
- verifier: verifies or returns submitted values of every member of the network;
- editor (member editor): enters, imports and submits data for the member places bound to the role.

A Django superuser counts as admin everywhere. Anyone without a role is the public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.Model):
    class Kind(models.TextChoices):
        ADMIN = "admin", "network admin"
        VERIFIER = "verifier", "verifier"
        EDITOR = "editor", "member editor"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    network = models.ForeignKey("places.Network", on_delete=models.CASCADE, related_name="roles")
    places = models.ManyToManyField("places.Place", blank=True, related_name="editor_roles")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "network"], name="one_role_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} in {self.network}"
