"""Writing a member's citizen involvement and priorities: the two simple registers, which share
their validation-then-write and their update path.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.action import validation
from berekraft.action.history import history_write, snapshot
from berekraft.action.inputs import InvolvementInput, PriorityInput
from berekraft.action.models import ActionHistory, Involvement, Priority
from berekraft.action.services.access import refuse_member
from berekraft.action.services.versions import R, locked, write
from berekraft.catalogue.models import Goal, Series
from berekraft.errors import InputError
from berekraft.places.models import Place

Change = ActionHistory.Change


def _involvement_fields(data: InvolvementInput) -> dict[str, Any]:
    return {
        "title": data.title,
        "method": data.method,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "project_id": data.project,
        "participants": data.participants,
        "groups": list(dict.fromkeys(data.groups)),
        "asked": data.asked,
        "outcome": data.outcome,
        "changes": data.changes,
    }


def _priority_fields(data: PriorityInput) -> dict[str, Any]:
    goal = Goal.objects.filter(number=data.goal).first() if data.goal is not None else None
    series = Series.objects.filter(code=data.series).first() if data.series else None
    return {
        "reason": data.reason,
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
        "decision_url": data.decision_url,
        "goal": goal,
        "series": series,
    }


def _fields_for(record_type: type, data: InvolvementInput | PriorityInput, member: Place) -> dict[str, Any]:
    if isinstance(data, InvolvementInput):
        problems = validation.involvement_problems(data, member_id=member.pk)
        summary = _("the involvement record was not saved")
        fields = _involvement_fields(data) if not problems else {}
    else:
        problems = validation.priority_problems(data)
        summary = _("the priority was not saved")
        fields = _priority_fields(data) if not problems else {}
    if problems:
        raise InputError(problems, summary=summary)
    return fields


@transaction.atomic
def involvement_create(
    *, member: Place, data: InvolvementInput, user: User | None, publish: bool = False, is_demo: bool = False
) -> Involvement:
    refuse_member(user, member)
    fields = _fields_for(Involvement, data, member)
    record = Involvement.objects.create(
        member=member,
        created_by=user,
        updated_by=user,
        is_demo=is_demo,
        published_at=timezone.now() if publish else None,
        **fields,
    )
    history_write(record, Change.CREATE, before=None, after=snapshot(record), user=user)
    return record


@transaction.atomic
def priority_create(
    *, member: Place, data: PriorityInput, user: User | None, publish: bool = False, is_demo: bool = False
) -> Priority:
    refuse_member(user, member)
    fields = _fields_for(Priority, data, member)
    record = Priority.objects.create(
        member=member,
        created_by=user,
        updated_by=user,
        is_demo=is_demo,
        published_at=timezone.now() if publish else None,
        **fields,
    )
    history_write(record, Change.CREATE, before=None, after=snapshot(record), user=user)
    return record


def _member_update(
    record: R, data: InvolvementInput | PriorityInput, expected_version: int | None, user: User | None
) -> R:
    assert isinstance(record, Involvement | Priority)
    refuse_member(user, record.member)
    fields = _fields_for(type(record), data, record.member)
    with transaction.atomic():
        current = locked(record, expected_version)
        before = snapshot(current)
        if all(getattr(current, k) == v for k, v in fields.items()):
            return current
        write(current, fields, user)
        history_write(current, Change.UPDATE, before=before, after=snapshot(current), user=user)
        return current


def involvement_update(
    *, involvement: Involvement, data: InvolvementInput, expected_version: int | None, user: User | None
) -> Involvement:
    return _member_update(involvement, data, expected_version, user)


def priority_update(
    *, priority: Priority, data: PriorityInput, expected_version: int | None, user: User | None
) -> Priority:
    return _member_update(priority, data, expected_version, user)
