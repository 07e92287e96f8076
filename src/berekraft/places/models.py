"""Places (country, counties, municipalities), the changes that link them across reforms, and
networks of member places."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Place(models.Model):
    """A municipality, county or the country, valid for a period.

    Codes are strings (``"0301"``, ``"03"``), leading zeros kept. A code that changed in a reform is
    a separate Place, linked to its successor(s) by PlaceChange.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", pgettext_lazy("admin", "country")
        COUNTY = "county", pgettext_lazy("admin", "county")
        MUNICIPALITY = "municipality", pgettext_lazy("admin", "municipality")

    code = models.CharField(max_length=10, unique=True, verbose_name=pgettext_lazy("admin", "code"))
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=pgettext_lazy("admin", "kind"))
    name = models.CharField(
        max_length=120,
        help_text=pgettext_lazy("admin", "Official name, with Sami/Kven parallel names"),
        verbose_name=pgettext_lazy("admin", "name"),
    )
    name_nb = models.CharField(
        max_length=120,
        help_text=pgettext_lazy("admin", "Plain Norwegian name"),
        verbose_name=pgettext_lazy("admin", "name (Bokmål)"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=pgettext_lazy("admin", "parent"),
    )
    population = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "population")
    )
    population_date = models.DateField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "population date")
    )
    area_km2 = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "area (km²)"))
    valid_from = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "valid from"))
    valid_to = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "valid to"))

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("admin", "place")
        verbose_name_plural = pgettext_lazy("admin", "places")

    def __str__(self) -> str:
        return f"{self.code} {self.name_nb}"


class PlaceChange(models.Model):
    """A reform link: renumber (same territory), split (one into several) or merge."""

    class Kind(models.TextChoices):
        RENUMBER = "renumber", pgettext_lazy("admin", "renumber")
        SPLIT = "split", pgettext_lazy("admin", "split")
        MERGE = "merge", pgettext_lazy("admin", "merge")

    date = models.DateField(verbose_name=pgettext_lazy("admin", "date"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=pgettext_lazy("admin", "kind"))
    from_place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        related_name="changes_out",
        verbose_name=pgettext_lazy("admin", "from place"),
    )
    to_place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        related_name="changes_in",
        verbose_name=pgettext_lazy("admin", "to place"),
    )
    weight = models.FloatField(
        help_text=pgettext_lazy("admin", "Share of the old unit (by population) that went to the new one"),
        verbose_name=pgettext_lazy("admin", "weight"),
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "note"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_place", "to_place", "date"], name="unique_place_change"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, weight__lte=1), name="place_change_weight"
            ),
        ]
        verbose_name = pgettext_lazy("admin", "place change")
        verbose_name_plural = pgettext_lazy("admin", "place changes")

    def __str__(self) -> str:
        return f"{self.from_place.code} → {self.to_place.code} ({self.kind})"


class Network(models.Model):
    """A group of member places that compare themselves with each other."""

    code = models.SlugField(max_length=60, unique=True, verbose_name=pgettext_lazy("admin", "code"))
    name = models.CharField(max_length=120, verbose_name=pgettext_lazy("admin", "name"))

    class Meta:
        verbose_name = pgettext_lazy("admin", "network")
        verbose_name_plural = pgettext_lazy("admin", "networks")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=pgettext_lazy("admin", "network"),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=pgettext_lazy("admin", "place"),
    )
    kind = models.CharField(
        max_length=20,
        help_text=pgettext_lazy("admin", "kommune or fylkeskommune"),
        verbose_name=pgettext_lazy("admin", "kind"),
    )
    joined = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "joined"))
    left = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "left"))
    note = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "note"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "place"], name="unique_membership")]
        ordering = ["network", "place__code"]
        verbose_name = pgettext_lazy("admin", "membership")
        verbose_name_plural = pgettext_lazy("admin", "memberships")

    def __str__(self) -> str:
        return f"{self.place} in {self.network}"
