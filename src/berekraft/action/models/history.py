"""The history of the registers: one row per change of any register record, never updated or
deleted, so who changed what, when, from what to what can always be shown (the snapshots
themselves are made by action.history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class ActionHistory(models.Model):
    """One change of a register record: who, when, what kind, and the record before and after
    (plain JSON snapshots, including its links). Never updated or deleted."""

    class Change(models.TextChoices):
        CREATE = "create", pgettext_lazy("admin", "created")
        UPDATE = "update", pgettext_lazy("admin", "changed")
        PUBLISH = "publish", pgettext_lazy("admin", "published")
        UNPUBLISH = "unpublish", pgettext_lazy("admin", "unpublished")
        DELETE = "delete", pgettext_lazy("admin", "deleted")
        MERGE = "merge", pgettext_lazy("admin", "merged")
        IMPORT = "import", pgettext_lazy("admin", "imported")

    model = models.CharField(max_length=20, verbose_name=pgettext_lazy("admin", "register"))
    object_id = models.PositiveBigIntegerField(verbose_name=pgettext_lazy("admin", "record"))
    version = models.PositiveIntegerField(verbose_name=pgettext_lazy("admin", "version"))
    change = models.CharField(
        max_length=10, choices=Change.choices, verbose_name=pgettext_lazy("admin", "change")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "changed by"),
    )
    changed_at = models.DateTimeField(auto_now_add=True, verbose_name=pgettext_lazy("admin", "changed at"))
    before = models.JSONField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "before"))
    after = models.JSONField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "after"))
    note = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "note"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="action_history_record")]
        verbose_name = pgettext_lazy("admin", "register history")
        verbose_name_plural = pgettext_lazy("admin", "register history")

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} v{self.version} {self.change}"
