"""The partner organisations: one record per organisation for the whole network (not per member),
so an organisation's page can list every project it takes part in, in every member."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy

from berekraft.action.models.record import Record


class Organisation(Record):
    """A partner organisation, one record for the whole network."""

    class Kind(models.TextChoices):
        BUSINESS = "business", pgettext_lazy("admin", "business")
        ACADEMIA = "academia", pgettext_lazy("admin", "academia and research")
        VOLUNTARY = "voluntary", pgettext_lazy("admin", "voluntary organisation or NGO")
        PUBLIC = "public", pgettext_lazy("admin", "public body")
        OTHER = "other", pgettext_lazy("admin", "other")

    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("admin", "name"))
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=pgettext_lazy("admin", "kind"))
    org_number = models.CharField(
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        help_text=pgettext_lazy("admin", "Norwegian organisation number: 9 digits, with its check digit"),
        verbose_name=pgettext_lazy("admin", "organisation number"),
    )
    website = models.URLField(max_length=500, blank=True, verbose_name=pgettext_lazy("admin", "website"))
    registered_by = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=pgettext_lazy("admin", "The member whose editors registered it and may edit it"),
        verbose_name=pgettext_lazy("admin", "registered by"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = pgettext_lazy("admin", "organisation")
        verbose_name_plural = pgettext_lazy("admin", "organisations")

    def __str__(self) -> str:
        return self.name
