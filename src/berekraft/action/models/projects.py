"""A member's projects and the parts saved with them (KPI series, partnerships, deliverables,
funding, links, timeline): kept together because a project and its parts are one record to the
editor, written and versioned as a whole by action.services."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import pgettext_lazy

from berekraft.action.models.organisations import Organisation
from berekraft.action.models.record import Record


class Project(Record):
    """A member's local development project or measure."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("admin", "planned")
        ONGOING = "ongoing", pgettext_lazy("admin", "ongoing")
        COMPLETED = "completed", pgettext_lazy("admin", "completed")
        STOPPED = "stopped", pgettext_lazy("admin", "stopped")

    member = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=pgettext_lazy("admin", "member"),
    )
    key = models.CharField(
        max_length=60,
        blank=True,
        help_text=pgettext_lazy(
            "admin", "The project's own key in the member's project spreadsheet (kept on re-import)"
        ),
        verbose_name=pgettext_lazy("admin", "key"),
    )
    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("admin", "title"))
    summary = models.CharField(max_length=500, blank=True, verbose_name=pgettext_lazy("admin", "summary"))
    description = models.TextField(
        blank=True,
        help_text=pgettext_lazy(
            "admin", "Plain text: blank lines make paragraphs, web addresses become links"
        ),
        verbose_name=pgettext_lazy("admin", "description"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
        verbose_name=pgettext_lazy("admin", "status"),
    )
    progress = models.PositiveSmallIntegerField(
        default=0,
        help_text=pgettext_lazy("admin", "0–100 %"),
        verbose_name=pgettext_lazy("admin", "progress"),
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=pgettext_lazy("admin", "end date"))
    responsible_unit = models.CharField(
        max_length=200, blank=True, verbose_name=pgettext_lazy("admin", "responsible unit")
    )
    contact_name = models.CharField(
        max_length=200, blank=True, verbose_name=pgettext_lazy("admin", "contact")
    )
    contact_email = models.EmailField(blank=True, verbose_name=pgettext_lazy("admin", "contact e-mail"))
    contact_public = models.BooleanField(
        default=False,
        help_text=pgettext_lazy("admin", "Show the contact on the public pages"),
        verbose_name=pgettext_lazy("admin", "contact is public"),
    )
    budget_nok = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "budget (NOK)")
    )
    goals = models.ManyToManyField(
        "catalogue.Goal", blank=True, related_name="projects", verbose_name=pgettext_lazy("admin", "SDGs")
    )
    sdg_targets = models.ManyToManyField(
        "catalogue.SdgTarget",
        blank=True,
        related_name="projects",
        verbose_name=pgettext_lazy("admin", "SDG targets"),
    )

    class Meta:
        ordering = ["-start_date", "title", "pk"]
        verbose_name = pgettext_lazy("admin", "project")
        verbose_name_plural = pgettext_lazy("admin", "projects")
        constraints = [
            models.CheckConstraint(name="project_progress_0_100", condition=Q(progress__lte=100)),
            models.CheckConstraint(
                name="project_dates_in_order",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
            ),
            models.UniqueConstraint(
                fields=["member", "key"], condition=~Q(key=""), name="project_key_once_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "published_at"], name="project_member_published"),
            # The public list's order over published projects: its first page (the unfiltered
            # /projects/, the one most visitors see) reads 25 index entries instead of sorting all.
            models.Index(
                F("start_date").desc(),
                "title",
                "id",
                name="project_public_order",
                condition=Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectSeries(models.Model):
    """A KPI series a project aims to move, the way it should move, and optionally by how much."""

    class Expected(models.TextChoices):
        UP = "up", pgettext_lazy("admin", "up")
        DOWN = "down", pgettext_lazy("admin", "down")
        HOLD = "hold", pgettext_lazy("admin", "hold the level")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="kpis", verbose_name=pgettext_lazy("admin", "project")
    )
    series = models.ForeignKey(
        "catalogue.Series",
        on_delete=models.PROTECT,
        related_name="project_links",
        verbose_name=pgettext_lazy("admin", "series"),
    )
    expected = models.CharField(
        max_length=4, choices=Expected.choices, verbose_name=pgettext_lazy("admin", "expected direction")
    )
    expected_value = models.FloatField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "expected value")
    )
    expected_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "by year")
    )

    class Meta:
        ordering = ["project", "series__order"]
        constraints = [models.UniqueConstraint(fields=["project", "series"], name="project_series_once")]
        verbose_name = pgettext_lazy("admin", "project KPI")
        verbose_name_plural = pgettext_lazy("admin", "project KPIs")

    def __str__(self) -> str:
        return f"{self.project_id} → {self.series_id}"


class Partnership(models.Model):
    """An organisation's part in a project."""

    class Role(models.TextChoices):
        LEAD = "lead", pgettext_lazy("admin", "lead")
        FUNDER = "funder", pgettext_lazy("admin", "funder")
        RESEARCH = "research", pgettext_lazy("admin", "research partner")
        SUPPLIER = "supplier", pgettext_lazy("admin", "supplier")
        CO_CREATOR = "co_creator", pgettext_lazy("admin", "co-creator")
        OTHER = "other", pgettext_lazy("admin", "other")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=pgettext_lazy("admin", "project"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=pgettext_lazy("admin", "organisation"),
    )
    role = models.CharField(max_length=10, choices=Role.choices, verbose_name=pgettext_lazy("admin", "role"))
    note = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "note"))

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="partnership_once")
        ]
        verbose_name = pgettext_lazy("admin", "partnership")
        verbose_name_plural = pgettext_lazy("admin", "partnerships")

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.project_id} ({self.role})"


class Deliverable(models.Model):
    """A SMART deliverable of a project (what, by when, status), as the UN Partnerships platform
    follows partnerships up; optionally the partnership that owes it."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("admin", "planned")
        ONGOING = "ongoing", pgettext_lazy("admin", "ongoing")
        DELIVERED = "delivered", pgettext_lazy("admin", "delivered")
        DELAYED = "delayed", pgettext_lazy("admin", "delayed")
        CANCELLED = "cancelled", pgettext_lazy("admin", "cancelled")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=pgettext_lazy("admin", "project"),
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
        verbose_name=pgettext_lazy("admin", "partnership"),
    )
    what = models.CharField(max_length=300, verbose_name=pgettext_lazy("admin", "what"))
    due_date = models.DateField(verbose_name=pgettext_lazy("admin", "due date"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
        verbose_name=pgettext_lazy("admin", "status"),
    )

    class Meta:
        ordering = ["project", "due_date", "pk"]
        verbose_name = pgettext_lazy("admin", "deliverable")
        verbose_name_plural = pgettext_lazy("admin", "deliverables")

    def __str__(self) -> str:
        return self.what


class Funding(models.Model):
    """Where a project's money comes from."""

    class Source(models.TextChoices):
        OWN = "own", pgettext_lazy("admin", "own budget")
        STATE = "state", pgettext_lazy("admin", "state grant")
        COUNTY = "county", pgettext_lazy("admin", "county")
        EU = "eu", pgettext_lazy("admin", "EU programme")
        PRIVATE = "private", pgettext_lazy("admin", "private")
        OTHER = "other", pgettext_lazy("admin", "other")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="funding",
        verbose_name=pgettext_lazy("admin", "project"),
    )
    source = models.CharField(
        max_length=8, choices=Source.choices, verbose_name=pgettext_lazy("admin", "funding source")
    )
    amount_nok = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=pgettext_lazy("admin", "amount (NOK)")
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=pgettext_lazy("admin", "note"))

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = pgettext_lazy("admin", "funding")
        verbose_name_plural = pgettext_lazy("admin", "funding")

    def __str__(self) -> str:
        return f"{self.source} {self.amount_nok or ''}".strip()


class ProjectLink(models.Model):
    """A web address about a project (http or https only)."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=pgettext_lazy("admin", "project"),
    )
    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("admin", "title"))
    url = models.URLField(max_length=500, verbose_name=pgettext_lazy("admin", "address"))

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = pgettext_lazy("admin", "link")
        verbose_name_plural = pgettext_lazy("admin", "links")

    def __str__(self) -> str:
        return self.title


class TimelineEntry(models.Model):
    """A dated entry in a project's timeline: what happened, when."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=pgettext_lazy("admin", "project"),
    )
    date = models.DateField(verbose_name=pgettext_lazy("admin", "date"))
    text = models.CharField(max_length=500, verbose_name=pgettext_lazy("admin", "what happened"))

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = pgettext_lazy("admin", "timeline entry")
        verbose_name_plural = pgettext_lazy("admin", "timeline")

    def __str__(self) -> str:
        return f"{self.date}: {self.text}"
