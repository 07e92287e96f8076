"""A member's priorities: the goals and KPI series it has chosen to work on, with the reason, the
period and the decision behind them, so a member's results can be read against what it set out to do."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import pgettext_lazy

from berekraft.action.models.record import Record


class Priority(Record):
    """A goal or KPI series that a member prioritises, why, for how long, by what decision."""

    member = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="priorities",
        verbose_name=pgettext_lazy("admin", "member"),
    )
    goal = models.ForeignKey(
        "catalogue.Goal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "goal"),
    )
    series = models.ForeignKey(
        "catalogue.Series",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("admin", "series"),
    )
    reason = models.TextField(verbose_name=pgettext_lazy("admin", "why"))
    valid_from = models.DateField(verbose_name=pgettext_lazy("admin", "from"))
    valid_until = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "until"))
    decision_url = models.URLField(
        max_length=500, blank=True, verbose_name=pgettext_lazy("admin", "council decision (link)")
    )

    class Meta:
        ordering = ["member", "-valid_from", "pk"]
        verbose_name = pgettext_lazy("admin", "priority")
        verbose_name_plural = pgettext_lazy("admin", "priorities")
        constraints = [
            models.CheckConstraint(
                name="priority_goal_or_series",
                condition=Q(goal__isnull=False, series__isnull=True)
                | Q(goal__isnull=True, series__isnull=False),
            ),
            models.CheckConstraint(
                name="priority_dates_in_order",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.goal_id or self.series_id}"
