"""What every register record has in common (publication, version, who and when, demo label): one
abstract base, so the four registers publish, version and label their records the same way and the
services and history can treat them alike."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Record(models.Model):
    """What every register record has: publication, version, who and when, demo label."""

    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=pgettext_lazy("admin", "published at")
    )
    version = models.PositiveIntegerField(default=1, verbose_name=pgettext_lazy("admin", "version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=pgettext_lazy("admin", "created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=pgettext_lazy("admin", "updated at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "updated by"),
    )
    is_demo = models.BooleanField(
        default=False,
        help_text=pgettext_lazy("admin", "Demonstration data: generated, not a real record"),
        verbose_name=pgettext_lazy("admin", "demonstration data"),
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
