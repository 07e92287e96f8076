"""The indicator catalogue in the database: goals, the U4SSC tree, indicators, series, targets.

Loaded from the packaged CSV files by ``berekraft load-reference`` (services.catalogue_load); the
admin can edit names and targets afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Names(models.Model):
    """Names in English, bokmål and nynorsk."""

    name_en = models.CharField(max_length=200)
    name_nb = models.CharField(max_length=200, blank=True)
    name_nn = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def name(self, language: str = "nb") -> str:
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class Goal(Names):
    """One of the UN's 17 Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(unique=True)
    colour = models.CharField(max_length=7)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number} {self.name_en}"


class FrameworkNode(Names):
    """A dimension, sub-dimension or category of the U4SSC framework."""

    class Level(models.TextChoices):
        DIMENSION = "dimension", "dimension"
        SUB_DIMENSION = "sub_dimension", "sub-dimension"
        CATEGORY = "category", "category"

    code = models.CharField(max_length=20, unique=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


class Direction(models.TextChoices):
    HIGHER = "higher", "higher is better"
    LOWER = "lower", "lower is better"
    RANGE = "range", "within a range"


class Indicator(Names):
    """A U4SSC key performance indicator."""

    code = models.CharField(max_length=24, unique=True)
    category = models.ForeignKey(FrameworkNode, on_delete=models.PROTECT, related_name="indicators")
    type = models.CharField(max_length=10, help_text="core or advanced")
    kind = models.CharField(max_length=12, blank=True, help_text="smart or sustainable")
    unit_en = models.CharField(max_length=100)
    unit_nb = models.CharField(max_length=100, blank=True)
    unit_nn = models.CharField(max_length=100, blank=True)
    numerator = models.CharField(max_length=300, blank=True)
    denominator = models.CharField(max_length=300, blank=True)
    scale = models.PositiveIntegerField(default=1)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    goals = models.ManyToManyField(Goal, related_name="indicators")
    sdg_indicators = models.CharField(max_length=200, blank=True)
    definition_en = models.TextField(blank=True)
    definition_nb = models.TextField(blank=True)
    definition_nn = models.TextField(blank=True)
    source = models.TextField(blank=True)
    confidence = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def unit(self, language: str = "nb") -> str:
        return str(getattr(self, f"unit_{language}", "") or self.unit_en)


class Series(Names):
    """What is measured and scored: an indicator's single series or one of its data points."""

    code = models.CharField(max_length=48, unique=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    key = models.CharField(max_length=24, blank=True)
    direction = models.CharField(max_length=8, choices=Direction.choices, blank=True)
    unit = models.CharField(max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.code


class Target(models.Model):
    """A target for a series, with its scope and source.

    default: shipped with berekraft, cited; network: set by the secretariat for a network;
    local: a member's own ambition. A more specific scope overrides a more general one.
    """

    class Scope(models.TextChoices):
        DEFAULT = "default", "default"
        NETWORK = "network", "network"
        LOCAL = "local", "local"

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="targets")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    network = models.ForeignKey("places.Network", null=True, blank=True, on_delete=models.CASCADE)
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.CASCADE)
    value = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(
        null=True, blank=True, help_text="Worst-case start for a lower-is-better zero"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.TextField(help_text="Where the target comes from (a citation, a decision)")
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="target_scope_fits",
                condition=(
                    models.Q(scope="default", network__isnull=True, place__isnull=True)
                    | models.Q(scope="network", network__isnull=False, place__isnull=True)
                    | models.Q(scope="local", place__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="target_has_value_or_range",
                condition=models.Q(value__isnull=False) | models.Q(lower__isnull=False, upper__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["series"], condition=models.Q(scope="default"), name="one_default_target"
            ),
            models.UniqueConstraint(
                fields=["series", "network"], condition=models.Q(scope="network"), name="one_network_target"
            ),
            models.UniqueConstraint(
                fields=["series", "place"], condition=models.Q(scope="local"), name="one_local_target"
            ),
        ]

    def __str__(self) -> str:
        shown = f"{self.lower}–{self.upper}" if self.value is None else f"{self.value}"
        return f"{self.series.code}: {shown} ({self.scope})"
