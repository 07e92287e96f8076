"""The indicator catalogue in the database: goals, the U4SSC tree, indicators, series, targets.

Loaded from the packaged CSV files by ``berekraft load-reference`` (services.catalogue_load); the
admin can edit names and targets afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Names(models.Model):
    """Names in English, bokmål and nynorsk."""

    name_en = models.CharField(max_length=200, verbose_name=pgettext_lazy("admin", "name (English)"))
    name_nb = models.CharField(
        max_length=200, blank=True, verbose_name=pgettext_lazy("admin", "name (Bokmål)")
    )
    name_nn = models.CharField(
        max_length=200, blank=True, verbose_name=pgettext_lazy("admin", "name (Nynorsk)")
    )

    class Meta:
        abstract = True

    def name(self, language: str = "nb") -> str:
        # A member's local indicator may be named in one language only: any name beats none.
        return str(getattr(self, f"name_{language}", "") or self.name_en or self.name_nb or self.name_nn)


class Goal(Names):
    """One of the UN's 17 Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(unique=True, verbose_name=pgettext_lazy("admin", "number"))
    colour = models.CharField(max_length=7, verbose_name=pgettext_lazy("admin", "colour"))

    class Meta:
        ordering = ["number"]
        verbose_name = pgettext_lazy("admin", "goal")
        verbose_name_plural = pgettext_lazy("admin", "goals")

    def __str__(self) -> str:
        return f"SDG {self.number} {self.name_en}"


class FrameworkNode(Names):
    """A dimension, sub-dimension or category of the U4SSC framework."""

    class Level(models.TextChoices):
        DIMENSION = "dimension", pgettext_lazy("admin", "dimension")
        SUB_DIMENSION = "sub_dimension", pgettext_lazy("admin", "sub-dimension")
        CATEGORY = "category", pgettext_lazy("admin", "category")

    code = models.CharField(max_length=20, unique=True, verbose_name=pgettext_lazy("admin", "code"))
    level = models.CharField(
        max_length=16, choices=Level.choices, verbose_name=pgettext_lazy("admin", "level")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=pgettext_lazy("admin", "parent"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=pgettext_lazy("admin", "order"))

    class Meta:
        ordering = ["order"]
        verbose_name = pgettext_lazy("admin", "framework node")
        verbose_name_plural = pgettext_lazy("admin", "framework nodes")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


class Direction(models.TextChoices):
    HIGHER = "higher", pgettext_lazy("admin", "higher is better")
    LOWER = "lower", pgettext_lazy("admin", "lower is better")
    RANGE = "range", pgettext_lazy("admin", "within a range")


# The framework node every member's local indicators stand in: a framework of its own, outside the
# U4SSC tree (berekraft.catalogue.local).
LOCAL_NODE = "LOCAL"


class Indicator(Names):
    """A U4SSC key performance indicator, or (``owner`` set) a member's local indicator.

    A local indicator is an Indicator with exactly one Series, both coded ``LOCAL:<member>:<slug>``,
    in the framework node ``LOCAL`` (not in the U4SSC tree), with the member's own target as a
    local-scope Target. See ``berekraft.catalogue.local`` for why it lives here and how it is kept
    out of every U4SSC-comparable score.
    """

    code = models.CharField(max_length=64, unique=True, verbose_name=pgettext_lazy("admin", "code"))
    category = models.ForeignKey(
        FrameworkNode,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=pgettext_lazy("admin", "category"),
    )
    type = models.CharField(
        max_length=10,
        help_text=pgettext_lazy("admin", "core or advanced"),
        verbose_name=pgettext_lazy("admin", "type"),
    )
    kind = models.CharField(
        max_length=12,
        blank=True,
        help_text=pgettext_lazy("admin", "smart or sustainable"),
        verbose_name=pgettext_lazy("admin", "kind"),
    )
    unit_en = models.CharField(max_length=100, verbose_name=pgettext_lazy("admin", "unit (English)"))
    unit_nb = models.CharField(
        max_length=100, blank=True, verbose_name=pgettext_lazy("admin", "unit (Bokmål)")
    )
    unit_nn = models.CharField(
        max_length=100, blank=True, verbose_name=pgettext_lazy("admin", "unit (Nynorsk)")
    )
    numerator = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "numerator"))
    numerator_nb = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "numerator (Bokmål)")
    )
    numerator_nn = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "numerator (Nynorsk)")
    )
    denominator = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "denominator")
    )
    denominator_nb = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "denominator (Bokmål)")
    )
    denominator_nn = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "denominator (Nynorsk)")
    )
    scale = models.PositiveIntegerField(default=1, verbose_name=pgettext_lazy("admin", "scale"))
    direction = models.CharField(
        max_length=8, choices=Direction.choices, verbose_name=pgettext_lazy("admin", "direction")
    )
    goals = models.ManyToManyField(
        Goal, related_name="indicators", verbose_name=pgettext_lazy("admin", "SDGs")
    )
    sdg_indicators = models.CharField(
        max_length=200, blank=True, verbose_name=pgettext_lazy("admin", "SDG indicators")
    )
    definition_en = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "definition (English)"))
    definition_nb = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "definition (Bokmål)"))
    definition_nn = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "definition (Nynorsk)"))
    source = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "source"))
    confidence = models.CharField(
        max_length=10, blank=True, verbose_name=pgettext_lazy("admin", "confidence")
    )
    note = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "note"))
    order = models.PositiveIntegerField(default=0, verbose_name=pgettext_lazy("admin", "order"))
    owner = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_indicators",
        help_text=pgettext_lazy("admin", "The member whose local indicator this is; empty for U4SSC"),
        verbose_name=pgettext_lazy("admin", "owner (local indicator)"),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = pgettext_lazy("admin", "indicator")
        verbose_name_plural = pgettext_lazy("admin", "indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def unit(self, language: str = "nb") -> str:
        return str(getattr(self, f"unit_{language}", "") or self.unit_en or self.unit_nb or self.unit_nn)

    def numerator_text(self, language: str = "nb") -> str:
        """The numerator's words in ``language`` (the English ``numerator`` when there is none)."""
        return str(getattr(self, f"numerator_{language}", "") or self.numerator)

    def denominator_text(self, language: str = "nb") -> str:
        """The denominator's words in ``language`` (the English ``denominator`` when there is none)."""
        return str(getattr(self, f"denominator_{language}", "") or self.denominator)


class Series(Names):
    """What is measured and scored: an indicator's single series or one of its data points."""

    code = models.CharField(max_length=80, unique=True, verbose_name=pgettext_lazy("admin", "code"))
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="series",
        verbose_name=pgettext_lazy("admin", "indicator"),
    )
    key = models.CharField(max_length=24, blank=True, verbose_name=pgettext_lazy("admin", "key"))
    direction = models.CharField(
        max_length=8, choices=Direction.choices, blank=True, verbose_name=pgettext_lazy("admin", "direction")
    )
    unit = models.CharField(max_length=100, blank=True, verbose_name=pgettext_lazy("admin", "unit"))
    order = models.PositiveIntegerField(default=0, verbose_name=pgettext_lazy("admin", "order"))

    class Meta:
        ordering = ["order"]
        verbose_name = pgettext_lazy("admin", "series")
        verbose_name_plural = pgettext_lazy("admin", "data series")

    def __str__(self) -> str:
        return self.code


class Target(models.Model):
    """A target for a series, with its scope and source.

    default: shipped with berekraft, cited; network: set by the secretariat for a network;
    local: a member's own ambition. A more specific scope overrides a more general one.
    """

    class Scope(models.TextChoices):
        DEFAULT = "default", pgettext_lazy("admin", "default")
        NETWORK = "network", pgettext_lazy("admin", "network")
        LOCAL = "local", pgettext_lazy("admin", "local")

    series = models.ForeignKey(
        Series,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=pgettext_lazy("admin", "series"),
    )
    scope = models.CharField(
        max_length=8, choices=Scope.choices, verbose_name=pgettext_lazy("admin", "set by")
    )
    network = models.ForeignKey(
        "places.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("admin", "network"),
    )
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("admin", "place"),
    )
    value = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "value"))
    lower = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "lower bound"))
    upper = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "upper bound"))
    baseline = models.FloatField(
        null=True,
        blank=True,
        help_text=pgettext_lazy("admin", "Worst-case start for a lower-is-better zero"),
        verbose_name=pgettext_lazy("admin", "baseline"),
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "year")
    )
    source = models.TextField(
        help_text=pgettext_lazy("admin", "Where the target comes from (a citation, a decision)"),
        verbose_name=pgettext_lazy("admin", "source"),
    )
    note = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "note"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=pgettext_lazy("admin", "updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=pgettext_lazy("admin", "updated by"),
    )

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
        verbose_name = pgettext_lazy("admin", "target")
        verbose_name_plural = pgettext_lazy("admin", "targets")

    def __str__(self) -> str:
        shown = f"{self.lower}–{self.upper}" if self.value is None else f"{self.value}"
        return f"{self.series.code}: {shown} ({self.scope})"


class SdgTarget(models.Model):
    """One of the 169 SDG targets (``"11.6"``), with its official texts.

    Loaded from ``data/catalogue/sdg_targets.csv`` by ``berekraft load-reference``. Texts are the
    published ones; an empty Norwegian text means none was published and English is shown.
    """

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="targets", verbose_name=pgettext_lazy("admin", "goal")
    )
    code = models.CharField(max_length=6, unique=True, verbose_name=pgettext_lazy("admin", "code"))
    text_en = models.TextField(verbose_name=pgettext_lazy("admin", "text (English)"))
    text_nb = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "text (Bokmål)"))
    text_nn = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "text (Nynorsk)"))
    source_en = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "source"))
    source_nb = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "source (Bokmål)")
    )
    source_nn = models.CharField(
        max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "source (Nynorsk)")
    )
    order = models.PositiveIntegerField(default=0, verbose_name=pgettext_lazy("admin", "order"))

    class Meta:
        ordering = ["order"]
        verbose_name = pgettext_lazy("admin", "SDG target")
        verbose_name_plural = pgettext_lazy("admin", "SDG targets")

    def __str__(self) -> str:
        return f"{self.code}"

    def text(self, language: str = "nb") -> str:
        """The official text in ``language``; English where no Norwegian text was published."""
        return str(getattr(self, f"text_{language}", "") or self.text_en)
