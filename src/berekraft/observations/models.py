"""Observations (place × series × year → value), their history, and import batches.

An observation has a *working* value that editors change (draft → submitted → verified, or
returned) and a *published* value: the last verified one. The public pages, the API and the scores
use the published value, so a figure under revision stays as published until a verifier accepts
the new one.

Every change writes an ObservationHistory row with a snapshot of the fields before and after;
history rows are never updated or deleted, which is what lets an import be undone as a whole.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

# The fields a person or a file sets; history snapshots and undo cover exactly these.
EDITABLE_FIELDS = ("value", "numerator", "denominator", "status", "quality", "data_origin", "source", "note")
# What a history row keeps of the observation before and after a change.
# The published version: what the public pages, the API and the scores show. Set on verify (and a
# publishing import), put back by undo; an editor's draft never changes them.
PUBLISHED_FIELDS = (
    "published_value",
    "published_source",
    "published_quality",
    "published_data_origin",
    "published_origin",
)
SNAPSHOT_FIELDS = (*EDITABLE_FIELDS, *PUBLISHED_FIELDS, "origin")


class DataVersion(models.Model):
    """One row: a counter raised in the same transaction as every change of a published value or
    a target (everything the scores are computed from). A score run records the version it read,
    so stored scores that no longer match the data are detected (scores.selectors)."""

    version = models.PositiveBigIntegerField(default=0, verbose_name=pgettext_lazy("admin", "version"))

    class Meta:
        verbose_name = pgettext_lazy("admin", "data version")
        verbose_name_plural = pgettext_lazy("admin", "data versions")

    def __str__(self) -> str:
        return f"data version {self.version}"


class DataChange(models.Model):
    """What a raise of the data version changed: one row per series whose published values or
    targets changed, or one row with no series for a change of unknown reach. Written in the
    transaction that raises the version, so a score run can recompute only the series changed since
    the run before it (scores.plan), and cannot miss one: a version without a row here is a change
    it knows nothing of, and it computes everything. Rows older than the latest run are deleted by
    the run. (The series is an id, not a foreign key: a row outlives its series, and then the run
    computes everything.)"""

    version = models.PositiveBigIntegerField(db_index=True, verbose_name=pgettext_lazy("admin", "version"))
    series_id = models.PositiveIntegerField(null=True, verbose_name=pgettext_lazy("admin", "series"))

    class Meta:
        verbose_name = pgettext_lazy("admin", "data change")
        verbose_name_plural = pgettext_lazy("admin", "data changes")

    def __str__(self) -> str:
        return f"data version {self.version}: series {self.series_id or 'all'}"


class ImportBatch(models.Model):
    """One imported file or fetch: who, when, what, and how much. Can be undone as a whole."""

    file_name = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file")
    reader = models.CharField(max_length=30)
    member = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=pgettext_lazy("admin", "member"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()
    new = models.PositiveIntegerField()
    changed = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    warnings = models.JSONField(default=list, help_text="Warnings shown at import, kept for the verifier")
    mapped = models.JSONField(default=list, help_text="Old place codes mapped to current ones")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("admin", "import batch")
        verbose_name_plural = pgettext_lazy("admin", "import batches")

    def __str__(self) -> str:
        return f"import {self.pk} {self.file_name}"


class Observation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("admin", "draft")
        SUBMITTED = "submitted", pgettext_lazy("admin", "submitted")
        VERIFIED = "verified", pgettext_lazy("admin", "verified")
        RETURNED = "returned", pgettext_lazy("admin", "returned")

    class Quality(models.TextChoices):
        """U4SSC's six data-quality levels (Verification Manual p.162, template column T)."""

        MEASURED = "measured", pgettext_lazy("admin", "accurate measurements")
        SURVEY = "survey", pgettext_lazy("admin", "extrapolated from a survey of inhabitants")
        HIGHER_LEVEL = "higher_level", pgettext_lazy("admin", "extrapolated from higher-level data")
        ASSUMPTIONS = "assumptions", pgettext_lazy("admin", "estimation based on assumptions")
        PERSONAL = "personal", pgettext_lazy("admin", "personal estimation")
        UNKNOWN = "unknown", pgettext_lazy("admin", "unknown methodology, not traceable")

    class Origin(models.TextChoices):
        MANUAL = "manual", pgettext_lazy("admin", "entered by hand")
        FILE = "file", pgettext_lazy("admin", "imported from a file")
        SSB = "ssb", pgettext_lazy("admin", "Statistics Norway")
        API = "api", pgettext_lazy("admin", "through the API")
        DEMO = "demo", pgettext_lazy("admin", "demonstration data (generated, not measured)")

    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=pgettext_lazy("admin", "place"),
        db_index=False,  # the unique key (place, series, year) starts with it: one index fewer to write
    )
    series = models.ForeignKey(
        "catalogue.Series",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=pgettext_lazy("admin", "series"),
        db_index=False,  # the index (series, year) starts with it
    )
    year = models.PositiveSmallIntegerField(verbose_name=pgettext_lazy("admin", "year"))
    value = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "value"))
    numerator = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "numerator"))
    denominator = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "denominator"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    quality = models.CharField(max_length=14, choices=Quality.choices, blank=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MANUAL)
    data_origin = models.CharField(
        max_length=300, blank=True, help_text="U4SSC template: where the data come from"
    )
    source = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "source"))
    note = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "note"))
    published_value = models.FloatField(null=True, blank=True, help_text="The last verified value")
    published_source = models.CharField(
        max_length=300, blank=True, help_text="The source of the published value"
    )
    published_quality = models.CharField(
        max_length=14, choices=Quality.choices, blank=True, help_text="The quality of the published value"
    )
    published_data_origin = models.CharField(
        max_length=300, blank=True, help_text="Where the data of the published value come from"
    )
    published_origin = models.CharField(
        max_length=8, choices=Origin.choices, blank=True, help_text="How the published value came in"
    )
    comment = models.TextField(blank=True, help_text="The verifier's comment when returned")
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "import batch"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=pgettext_lazy("admin", "updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=pgettext_lazy("admin", "updated at"))
    version = models.PositiveIntegerField(
        default=1,
        help_text="Raised on every change (optimistic locking)",
        verbose_name=pgettext_lazy("admin", "version"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "series", "year"], name="one_observation")]
        indexes = [models.Index(fields=["series", "year"]), models.Index(fields=["status"])]
        verbose_name = pgettext_lazy("admin", "observation")
        verbose_name_plural = pgettext_lazy("admin", "observations")

    def __str__(self) -> str:
        return f"{self.place_id}/{self.series_id}/{self.year} = {self.value}"

    @property
    def is_demo(self) -> bool:
        return self.origin == self.Origin.DEMO

    def snapshot(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in SNAPSHOT_FIELDS}


class ObservationHistory(models.Model):
    """One change of an observation: the editable fields before and after, who, when, why."""

    observation = models.ForeignKey(
        Observation,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=pgettext_lazy("admin", "observation"),
        db_index=False,  # the unique key (observation, version) starts with it
    )
    version = models.PositiveIntegerField(verbose_name=pgettext_lazy("admin", "version"))
    old_value = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "old value"))
    new_value = models.FloatField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "new value"))
    old_status = models.CharField(
        max_length=10, blank=True, verbose_name=pgettext_lazy("admin", "old status")
    )
    new_status = models.CharField(max_length=10, verbose_name=pgettext_lazy("admin", "new status"))
    before = models.JSONField(
        null=True,
        blank=True,
        help_text="Editable fields before; null if created",
        verbose_name=pgettext_lazy("admin", "before"),
    )
    after = models.JSONField(default=dict, verbose_name=pgettext_lazy("admin", "after"))
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="history",
        verbose_name=pgettext_lazy("admin", "import batch"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=pgettext_lazy("admin", "changed by"),
    )
    changed_at = models.DateTimeField(auto_now_add=True, verbose_name=pgettext_lazy("admin", "changed at"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "reason"))

    class Meta:
        ordering = ["observation", "version"]
        verbose_name = pgettext_lazy("admin", "observation history")
        verbose_name_plural = pgettext_lazy("admin", "observation history")
        # One row per version: two writers that both read version n cannot both write n + 1.
        constraints = [
            models.UniqueConstraint(fields=["observation", "version"], name="one_history_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} v{self.version}: {self.old_value} → {self.new_value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Guard the invariant, not business logic: history is append-only.
        if self.pk is not None:
            raise ValueError("history rows cannot be edited")
        super().save(*args, **kwargs)
