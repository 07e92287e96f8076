"""The action registers: what members do about their results, with whom, and whom they asked.

- **Project** (tiltak / lokalt utviklingsprosjekt): owned by one member; linked to the SDGs and SDG
  targets it addresses and the KPI series it aims to move (ProjectSeries), with partners
  (Partnership → Organisation, with a role), SMART deliverables, funding, links and a timeline.
- **Organisation**: a partner from business, academia, the voluntary sector or the public sector,
  shared by the whole network (one record per organisation number), so its page lists every
  project it takes part in, in every member.
- **Involvement** (medverknad): a citizen-involvement process of a member, for a project or on its
  own, with the groups it reached and what changed as a result (the feedback participants are owed).
- **Priority**: a goal or KPI series a member has prioritised, why, for how long, by what decision.

Every record is a draft until an editor publishes it (``published_at``); the public sees published
records only. ``version`` is raised on every save so that a stale edit is refused (optimistic
concurrency), and every change leaves an ActionHistory row (who, when, before, after). Writes go
through ``action.services``; reads through ``action.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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


class Organisation(Record):
    """A partner organisation, one record for the whole network."""

    class Kind(models.TextChoices):
        BUSINESS = "business", pgettext_lazy("admin", "business")
        ACADEMIA = "academia", pgettext_lazy("admin", "academia and research")
        VOLUNTARY = "voluntary", pgettext_lazy("admin", "voluntary organisation or NGO")
        PUBLIC = "public", pgettext_lazy("admin", "public body")
        OTHER = "other", pgettext_lazy("admin", "other")

    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("admin", "name"))
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=pgettext_lazy("admin", "kind"))
    org_number = models.CharField(
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        help_text=pgettext_lazy("admin", "Norwegian organisation number: 9 digits, with its check digit"),
        verbose_name=pgettext_lazy("admin", "organisation number"),
    )
    website = models.URLField(max_length=500, blank=True, verbose_name=pgettext_lazy("admin", "website"))
    registered_by = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=pgettext_lazy("admin", "The member whose editors registered it and may edit it"),
        verbose_name=pgettext_lazy("admin", "registered by"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = pgettext_lazy("admin", "organisation")
        verbose_name_plural = pgettext_lazy("admin", "organisations")

    def __str__(self) -> str:
        return self.name


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
        indexes = [models.Index(fields=["member", "published_at"], name="project_member_published")]

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
