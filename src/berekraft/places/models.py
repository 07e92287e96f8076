"""Places (country, counties, municipalities), the changes that link them across reforms, and
networks of member places."""

from __future__ import annotations

from django.db import models


class Place(models.Model):
    """A municipality, county or the country, valid for a period.

    Codes are strings (``"0301"``, ``"03"``), leading zeros kept. A code that changed in a reform is
    a separate Place, linked to its successor(s) by PlaceChange.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", "country"
        COUNTY = "county", "county"
        MUNICIPALITY = "municipality", "municipality"

    code = models.CharField(max_length=10, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120, help_text="Official name, with Sami/Kven parallel names")
    name_nb = models.CharField(max_length=120, help_text="Plain Norwegian name")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_date = models.DateField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_nb}"


class PlaceChange(models.Model):
    """A reform link: renumber (same territory), split (one into several) or merge."""

    class Kind(models.TextChoices):
        RENUMBER = "renumber", "renumber"
        SPLIT = "split", "split"
        MERGE = "merge", "merge"

    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="changes_out")
    to_place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="changes_in")
    weight = models.FloatField(help_text="Share of the old unit (by population) that went to the new one")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_place", "to_place", "date"], name="unique_place_change"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, weight__lte=1), name="place_change_weight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_place.code} → {self.to_place.code} ({self.kind})"


class Network(models.Model):
    """A group of member places that compare themselves with each other."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(max_length=20, help_text="kommune or fylkeskommune")
    joined = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "place"], name="unique_membership")]
        ordering = ["network", "place__code"]

    def __str__(self) -> str:
        return f"{self.place} in {self.network}"
