"""Observations (place × series × year → value) and their history.

Every change of a value or status writes an ObservationHistory row; history rows are never
updated or deleted (the services only ever create them, the admin shows them read-only).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Observation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        SUBMITTED = "submitted", "submitted"
        VERIFIED = "verified", "verified"
        RETURNED = "returned", "returned"

    class Quality(models.TextChoices):
        """U4SSC's six data-quality levels (Verification Manual p.162, template column T)."""

        MEASURED = "measured", "accurate measurements"
        SURVEY = "survey", "extrapolated from a survey of inhabitants"
        HIGHER_LEVEL = "higher_level", "extrapolated from higher-level data"
        ASSUMPTIONS = "assumptions", "estimation based on assumptions"
        PERSONAL = "personal", "personal estimation"
        UNKNOWN = "unknown", "unknown methodology, not traceable"

    class Origin(models.TextChoices):
        MANUAL = "manual", "entered by hand"
        FILE = "file", "imported from a file"
        SSB = "ssb", "Statistics Norway"
        API = "api", "through the API"
        DEMO = "demo", "demonstration data (generated, not measured)"

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="observations")
    series = models.ForeignKey("catalogue.Series", on_delete=models.PROTECT, related_name="observations")
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    quality = models.CharField(max_length=14, choices=Quality.choices, blank=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MANUAL)
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change (optimistic locking)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "series", "year"], name="one_observation")]
        indexes = [models.Index(fields=["series", "year"])]

    def __str__(self) -> str:
        return f"{self.place_id}/{self.series_id}/{self.year} = {self.value}"

    @property
    def is_demo(self) -> bool:
        return self.origin == self.Origin.DEMO


class ObservationHistory(models.Model):
    """One change of an observation: what it was, what it became, who, when and why."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="history")
    version = models.PositiveIntegerField()
    old_value = models.FloatField(null=True, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["observation", "version"]
        verbose_name_plural = "observation history"

    def __str__(self) -> str:
        return f"{self.observation_id} v{self.version}: {self.old_value} → {self.new_value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Guard the invariant, not business logic: history is append-only.
        if self.pk is not None:
            raise ValueError("history rows cannot be edited")
        super().save(*args, **kwargs)
