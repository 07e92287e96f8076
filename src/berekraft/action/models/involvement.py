"""Citizen involvement (medverknad): a member's involvement processes, kept apart from projects
because a process may stand on its own, and what it must record (groups reached, what changed) is
what the participants are owed as feedback."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import pgettext_lazy

from berekraft.action.models.projects import Project
from berekraft.action.models.record import Record


class Involvement(Record):
    """A citizen-involvement process (medverknad) of a member, for a project or on its own."""

    class Method(models.TextChoices):
        SURVEY = "survey", pgettext_lazy("admin", "survey")
        PUBLIC_MEETING = "public_meeting", pgettext_lazy("admin", "public meeting")
        WORKSHOP = "workshop", pgettext_lazy("admin", "workshop")
        CITIZEN_PANEL = "citizen_panel", pgettext_lazy("admin", "citizen panel")
        PARTICIPATORY_BUDGETING = "participatory_budgeting", pgettext_lazy("admin", "participatory budgeting")
        DIGITAL_CONSULTATION = "digital_consultation", pgettext_lazy("admin", "digital consultation")
        YOUTH = "youth", pgettext_lazy("admin", "youth council or children's participation")
        CO_CREATION = "co_creation", pgettext_lazy("admin", "co-creation")
        OTHER = "other", pgettext_lazy("admin", "other")

    class Group(models.TextChoices):
        """The "leave no one behind" groups a process reached."""

        CHILDREN_YOUTH = "children_youth", pgettext_lazy("admin", "children and youth")
        ELDERLY = "elderly", pgettext_lazy("admin", "elderly")
        DISABILITIES = "disabilities", pgettext_lazy("admin", "people with disabilities")
        IMMIGRANTS = "immigrants", pgettext_lazy("admin", "immigrants")
        SAMI = "sami", pgettext_lazy("admin", "Sámi")
        LOW_INCOME = "low_income", pgettext_lazy("admin", "low income")
        OTHER = "other", pgettext_lazy("admin", "other")

    member = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=pgettext_lazy("admin", "member"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="involvements",
        verbose_name=pgettext_lazy("admin", "project"),
    )
    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("admin", "title"))
    method = models.CharField(
        max_length=24, choices=Method.choices, verbose_name=pgettext_lazy("admin", "method")
    )
    start_date = models.DateField(verbose_name=pgettext_lazy("admin", "start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "end date"))
    participants = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "number of participants")
    )
    groups = models.JSONField(
        default=list,
        blank=True,
        help_text=pgettext_lazy("admin", "Codes of the groups reached"),
        verbose_name=pgettext_lazy("admin", "groups reached"),
    )
    asked = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "what was asked"))
    outcome = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "what came out"))
    changes = models.TextField(blank=True, verbose_name=pgettext_lazy("admin", "what changed as a result"))

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = pgettext_lazy("admin", "citizen involvement")
        verbose_name_plural = pgettext_lazy("admin", "citizen involvement")
        constraints = [
            models.CheckConstraint(
                name="involvement_dates_in_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.title
