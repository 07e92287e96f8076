"""Stored scores: derived from observations and targets by scores.services.scores_recompute,
never edited, never computed on a page request. Field meanings are those of core.scoring."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class SeriesScore(models.Model):
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="series_scores",
        verbose_name=pgettext_lazy("admin", "place"),
        db_index=False,  # the unique key (place, series, year) starts with it
    )
    series = models.ForeignKey(
        "catalogue.Series",
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=pgettext_lazy("admin", "series"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=pgettext_lazy("admin", "year"))
    value = models.FloatField(verbose_name=pgettext_lazy("admin", "value"))
    direction = models.CharField(max_length=8, verbose_name=pgettext_lazy("admin", "direction"))
    target = models.FloatField(null=True)
    target_lower = models.FloatField(null=True)
    target_upper = models.FloatField(null=True)
    baseline = models.FloatField(null=True, verbose_name=pgettext_lazy("admin", "baseline"))
    target_year = models.PositiveSmallIntegerField(null=True)
    target_scope = models.CharField(max_length=8, blank=True)
    achievement = models.FloatField(null=True, help_text="% of target achieved, 0–100")
    points = models.PositiveSmallIntegerField(null=True, help_text="U4SSC band 1–4")
    status = models.CharField(max_length=14)
    normalised = models.FloatField(null=True)
    bound = models.FloatField(null=True)
    base_year = models.PositiveSmallIntegerField(null=True)
    base_value = models.FloatField(null=True)
    cagr = models.FloatField(null=True)
    cagr_required = models.FloatField(null=True)
    trend_ratio = models.FloatField(null=True)
    trend = models.CharField(max_length=16, blank=True)
    peer_mean = models.FloatField(null=True)
    peer_count = models.PositiveIntegerField(null=True)
    network_index = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    quartile = models.PositiveSmallIntegerField(null=True)
    # The hash of the row's other columns as the score run wrote them (bulk.replace_frame): a run
    # rewrites only rows whose digest differs. NULL (a row written otherwise) is always rewritten.
    digest = models.BigIntegerField(null=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "series", "year"], name="one_series_score")]
        verbose_name = pgettext_lazy("admin", "series score")
        verbose_name_plural = pgettext_lazy("admin", "series scores")

    def __str__(self) -> str:
        return f"{self.place_id}/{self.series_id}/{self.year}: {self.points}"


class AggregateScore(models.Model):
    class Level(models.TextChoices):
        INDICATOR = "indicator", pgettext_lazy("admin", "indicator")
        CATEGORY = "category", pgettext_lazy("admin", "category")
        SUB_DIMENSION = "sub_dimension", pgettext_lazy("admin", "sub-dimension")
        DIMENSION = "dimension", pgettext_lazy("admin", "dimension")
        GOAL = "goal", pgettext_lazy("admin", "goal")
        OVERALL = "overall", pgettext_lazy("admin", "overall")

    level = models.CharField(
        max_length=14, choices=Level.choices, verbose_name=pgettext_lazy("admin", "level")
    )
    code = models.CharField(max_length=20, verbose_name=pgettext_lazy("admin", "code"))
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="aggregate_scores",
        verbose_name=pgettext_lazy("admin", "place"),
        db_index=False,  # the index (place, year) starts with it
    )
    year = models.PositiveSmallIntegerField(verbose_name=pgettext_lazy("admin", "year"))
    points = models.PositiveIntegerField()
    max_points = models.PositiveIntegerField()
    percent = models.FloatField(null=True)
    band = models.PositiveSmallIntegerField(null=True)
    scored = models.PositiveIntegerField()
    not_scored = models.PositiveIntegerField()
    reported = models.PositiveIntegerField()
    catalogue_count = models.PositiveIntegerField()
    coverage = models.FloatField()
    normalised = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    # As SeriesScore.digest.
    digest = models.BigIntegerField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "place", "year"], name="one_aggregate_score")
        ]
        indexes = [models.Index(fields=["place", "year"])]
        verbose_name = pgettext_lazy("admin", "aggregate score")
        verbose_name_plural = pgettext_lazy("admin", "aggregate scores")

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.place_id}/{self.year}: {self.percent}"


class LatestSeriesScore(models.Model):
    """Each place's newest SeriesScore of each series (its year, value and band), written by the
    score run with the scores. Pages that show many places' latest values (a goal's heat map and
    its twins: 357 members × 48 series) read these rows, one per place and series and stored
    together, instead of finding the newest of 30 years in a table 30 times as large, where the
    newest rows lie one to a disk page (on PostgreSQL 17,136 cells took 1.3 s that way)."""

    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "place"),
    )
    series = models.ForeignKey(
        "catalogue.Series",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "series"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=pgettext_lazy("admin", "year"))
    value = models.FloatField(verbose_name=pgettext_lazy("admin", "value"))
    points = models.PositiveSmallIntegerField(null=True, help_text="U4SSC band 1–4")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "series"], name="one_latest_series_score")]
        verbose_name = pgettext_lazy("admin", "latest series score")
        verbose_name_plural = pgettext_lazy("admin", "latest series scores")

    def __str__(self) -> str:
        return f"{self.place_id}/{self.series_id}/{self.year}: {self.points}"


class LatestAggregateScore(models.Model):
    """Each place's newest AggregateScore of each level and code (its year, % of target and band),
    written by the score run with the scores: the goals' medians over every member read 17 rows a
    member here (see LatestSeriesScore)."""

    level = models.CharField(
        max_length=14, choices=AggregateScore.Level.choices, verbose_name=pgettext_lazy("admin", "level")
    )
    code = models.CharField(max_length=20, verbose_name=pgettext_lazy("admin", "code"))
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "place"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=pgettext_lazy("admin", "year"))
    max_points = models.PositiveIntegerField()
    percent = models.FloatField(null=True)
    band = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "place"], name="one_latest_aggregate_score")
        ]
        verbose_name = pgettext_lazy("admin", "latest aggregate score")
        verbose_name_plural = pgettext_lazy("admin", "latest aggregate scores")

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.place_id}/{self.year}: {self.percent}"


class ScoreRun(models.Model):
    """One recomputation: when, how much, how long. Pages use the latest for Last-Modified."""

    finished_at = models.DateTimeField(auto_now_add=True)
    observations = models.PositiveIntegerField()
    series_scores = models.PositiveIntegerField()
    aggregate_scores = models.PositiveIntegerField()
    seconds = models.FloatField()
    data_version = models.PositiveBigIntegerField(
        default=0, help_text="The data version (observations.DataVersion) the run read"
    )
    full = models.BooleanField(
        default=True, help_text="Whether the run scored everything, or only the series changed since the last"
    )
    basis = models.CharField(
        max_length=64,
        blank=True,
        help_text="What the scores depend on besides values and targets (scores.plan)",
    )

    class Meta:
        verbose_name = pgettext_lazy("admin", "score run")
        verbose_name_plural = pgettext_lazy("admin", "score runs")

    def __str__(self) -> str:
        return f"score run {self.finished_at:%Y-%m-%d %H:%M}"
