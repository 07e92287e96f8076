"""The action registers in the Django admin: the secretariat's view of every member's records.

A save here raises the record's version and leaves a history row, as a save in the workspace does
(a workspace form opened before it then gets a conflict, not a lost update). The admin's own form
carries the version it was opened at, and a save of a record someone changed since is refused with
a conflict, so no interleaving of admin and workspace saves loses a change. Publishing,
unpublishing and merging go through action.services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from berekraft.action import services
from berekraft.action.history import history_write, snapshot
from berekraft.action.models import (
    ActionHistory,
    Deliverable,
    Funding,
    Involvement,
    Organisation,
    Partnership,
    Priority,
    Project,
    ProjectLink,
    ProjectSeries,
    TimelineEntry,
)
from berekraft.errors import BerekraftError

RECORD_READONLY = ["version", "created_at", "created_by", "updated_at", "updated_by"]
URLS: dict[type, dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """An admin form that remembers the version of the record it was opened at, and refuses to save
    over a newer one. The check reads the stored version under a row lock inside the admin's
    transaction (``select_for_update``; SQLite's IMMEDIATE transactions serialise writers), so
    a save that lands between the check and this save cannot happen."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.instance.pk is None:
            return data
        stored = (
            type(self.instance)
            .objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        opened = data.get("opened_version")
        if stored is not None and opened != stored:
            raise forms.ValidationError(
                _(
                    "Someone saved this record after you opened it (it is at version %(stored)s; "
                    "you opened version %(opened)s). Nothing was saved: open it again to see their "
                    "change, then make yours."
                )
                % {"stored": stored, "opened": opened if opened is not None else "?"},
                code="conflict",
            )
        return data


class RecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Versions and history for saves and deletes made in the admin."""

    form = VersionedForm
    readonly_fields = RECORD_READONLY
    formfield_overrides = URLS
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.updated_by = request.user
        if change:
            old = type(obj).objects.get(pk=obj.pk)
            request._action_before = snapshot(old)
            obj.version = old.version + 1
        else:
            obj.created_by = request.user
            request._action_before = None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_action_before", None)
        kind = ActionHistory.Change.UPDATE if change else ActionHistory.Change.CREATE
        history_write(obj, kind, before=before, after=snapshot(obj), user=request.user, note="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        user: Any = request.user
        with transaction.atomic():
            history_write(obj, ActionHistory.Change.DELETE, before=snapshot(obj), after=None, user=user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def _each(self, request: HttpRequest, queryset: QuerySet[Any], write: Any, done: str) -> None:
        count = 0
        for record in queryset:
            try:
                write(record=record, user=request.user)
            except BerekraftError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                count += 1
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish the selected records"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._each(request, queryset, services.record_publish, _("%(count)d record(s) published."))

    @admin.action(description=gettext_lazy("Unpublish the selected records"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._each(request, queryset, services.record_unpublish, _("%(count)d record(s) unpublished."))


class KpiInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProjectSeries
    extra = 0
    autocomplete_fields = ["series"]


class PartnershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Partnership
    extra = 0
    autocomplete_fields = ["organisation"]


class DeliverableInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Deliverable
    extra = 0


class FundingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Funding
    extra = 0


class LinkInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProjectLink
    extra = 0
    formfield_overrides = URLS


class TimelineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TimelineEntry
    extra = 0


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    list_display = ["title", "member", "status", "progress", "published_at", "is_demo", "updated_at"]
    list_filter = ["status", "is_demo", "member"]
    search_fields = ["title", "summary", "description"]
    filter_horizontal = ["goals", "sdg_targets"]
    inlines = [KpiInline, PartnershipInline, DeliverableInline, FundingInline, LinkInline, TimelineInline]


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ["name", "kind", "org_number", "registered_by", "published_at", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "org_number"]
    actions = ["publish", "unpublish", "merge"]

    @admin.action(description=gettext_lazy("Merge two organisations (keeps the older record)"))
    def merge(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        chosen = list(queryset.order_by("pk"))
        if len(chosen) != 2:
            self.message_user(request, _("Choose exactly two organisations to merge."), messages.ERROR)
            return
        keep, other = chosen
        try:
            services.organisations_merge(keep=keep, other=other, user=request.user)  # type: ignore[arg-type]
        except BerekraftError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            _("%(other)s was merged into %(keep)s.") % {"other": other.name, "keep": keep.name},
            messages.SUCCESS,
        )


@admin.register(Involvement)
class InvolvementAdmin(RecordAdmin):
    list_display = ["title", "member", "method", "start_date", "participants", "published_at", "is_demo"]
    list_filter = ["method", "is_demo", "member"]
    search_fields = ["title", "asked", "outcome", "changes"]
    raw_id_fields = ["project"]


@admin.register(Priority)
class PriorityAdmin(RecordAdmin):
    list_display = ["member", "goal", "series", "valid_from", "valid_until", "published_at", "is_demo"]
    list_filter = ["is_demo", "member"]
    autocomplete_fields = ["series"]


@admin.register(ActionHistory)
class ActionHistoryAdmin(admin.ModelAdmin[ActionHistory]):
    """Read-only: history is never edited."""

    list_display = ["model", "object_id", "version", "change", "changed_by", "changed_at", "note"]
    list_filter = ["model", "change"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
