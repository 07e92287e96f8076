"""Snapshots of register records as plain JSON (with their links) and the history rows that keep
them: who changed what, when, from what to what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User

from berekraft.action.models import ActionHistory, Involvement, Organisation, Priority, Project

RegisterRecord = Project | Organisation | Involvement | Priority

MODEL_NAMES: dict[type, str] = {
    Project: "project",
    Organisation: "organisation",
    Involvement: "involvement",
    Priority: "priority",
}


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _fields(record: Any, names: tuple[str, ...]) -> dict[str, object]:
    return {name: _plain(getattr(record, name)) for name in names}


COMMON = ("version", "published_at", "is_demo")
PROJECT_FIELDS = (
    "member_id",
    "key",
    "title",
    "summary",
    "description",
    "status",
    "progress",
    "start_date",
    "end_date",
    "responsible_unit",
    "contact_name",
    "contact_email",
    "contact_public",
    "budget_nok",
)


def snapshot(record: RegisterRecord) -> dict[str, object]:
    """The record as it is in the database now, including its parts and links."""
    if isinstance(record, Project):
        data = _fields(record, COMMON + PROJECT_FIELDS)
        data["goals"] = sorted(record.goals.values_list("number", flat=True))
        data["sdg_targets"] = sorted(record.sdg_targets.values_list("code", flat=True))
        data["kpis"] = [
            {
                "series": k.series.code,
                "expected": k.expected,
                "expected_value": k.expected_value,
                "expected_year": k.expected_year,
            }
            for k in record.kpis.select_related("series").order_by("pk")
        ]
        data["partners"] = [
            {"organisation": p.organisation_id, "name": p.organisation.name, "role": p.role, "note": p.note}
            for p in record.partnerships.select_related("organisation").order_by("pk")
        ]
        data["deliverables"] = [
            {
                "what": d.what,
                "due_date": _plain(d.due_date),
                "status": d.status,
                "organisation": d.partnership.organisation_id if d.partnership else None,
            }
            for d in record.deliverables.select_related("partnership").order_by("pk")
        ]
        data["funding"] = [
            {"source": f.source, "amount_nok": f.amount_nok, "note": f.note}
            for f in record.funding.order_by("pk")
        ]
        data["links"] = [{"title": x.title, "url": x.url} for x in record.links.order_by("pk")]
        data["timeline"] = [{"date": _plain(t.date), "text": t.text} for t in record.timeline.order_by("pk")]
        return data
    if isinstance(record, Organisation):
        data = _fields(record, (*COMMON, "name", "kind", "org_number", "website", "registered_by_id"))
        data["partnerships"] = [
            {"project": p.project_id, "role": p.role}
            for p in record.partnerships.order_by("pk")  # what a merge moves
        ]
        return data
    if isinstance(record, Involvement):
        return _fields(
            record,
            (
                *COMMON,
                "member_id",
                "project_id",
                "title",
                "method",
                "start_date",
                "end_date",
                "participants",
                "groups",
                "asked",
                "outcome",
                "changes",
            ),
        )
    goal = record.goal.number if record.goal_id and record.goal else None
    data = _fields(record, (*COMMON, "member_id", "reason", "valid_from", "valid_until", "decision_url"))
    data["goal"] = goal
    data["series"] = record.series.code if record.series_id and record.series else ""
    return data


def history_write(
    record: RegisterRecord,
    change: str,
    *,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
    user: User | None,
    note: str = "",
) -> ActionHistory:
    return ActionHistory.objects.create(
        model=MODEL_NAMES[type(record)],
        object_id=record.pk,
        version=record.version,
        change=change,
        changed_by=user,
        before=before,
        after=after,
        note=note[:300],
    )


def history_of(record: RegisterRecord) -> list[ActionHistory]:
    """The record's history, newest first."""
    return list(
        ActionHistory.objects.filter(model=MODEL_NAMES[type(record)], object_id=record.pk)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
