"""Writing the action registers: create, update, publish, unpublish and delete projects,
organisations, citizen involvement and priorities.

- **Who**: a member's editors write their member's projects, involvement and priorities; an
  organisation is edited by the editors of the member that registered it and by the admin, and any
  editor may register one or link it to a project; the admin may also unpublish anything.
  Verifiers, users without a role and anonymous users write nothing. ``user`` None is the command
  line (trusted), as in observations.workflow.
- **All or nothing**: a project and its parts (KPIs, goals, SDG targets, partners, deliverables,
  funding, links, timeline) are saved in one transaction; any problem writes nothing and every
  problem is reported at once (InputError, one Problem per field).
- **No lost update**: an update carries the version the editor read; the UPDATE is a
  compare-and-set on that version, so a stale edit raises ConflictError and writes nothing
  (PostgreSQL also locks the row first; SQLite's IMMEDIATE transactions serialise writers).
- **History**: every change leaves an ActionHistory row with the record before and after.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.accounts.selectors import can_edit, editable_places, is_admin
from berekraft.action import validation
from berekraft.action.history import RegisterRecord, history_write, snapshot
from berekraft.action.inputs import InvolvementInput, OrganisationInput, PriorityInput, ProjectInput
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
from berekraft.catalogue.models import Goal, SdgTarget, Series
from berekraft.errors import ConflictError, ForbiddenError, InputError
from berekraft.places.models import Place

Change = ActionHistory.Change
R = TypeVar("R", Project, Organisation, Involvement, Priority)
MemberRecord = Project | Involvement | Priority

# --- who may write -------------------------------------------------------------------------------


def may_write(user: User | AnonymousUser | None, member: Place) -> bool:
    """May ``user`` write ``member``'s projects, involvement and priorities?"""
    return user is None or can_edit(user, member)


def may_edit_organisation(user: User | AnonymousUser | None, organisation: Organisation) -> bool:
    """The admin, and the editors of the member that registered the organisation."""
    if user is None or is_admin(user):
        return True
    member = organisation.registered_by
    return member is not None and can_edit(user, member)


def may_write_record(user: User | AnonymousUser | None, record: RegisterRecord) -> bool:
    if isinstance(record, Organisation):
        return may_edit_organisation(user, record)
    return may_write(user, record.member)


def _refuse_member(user: User | None, member: Place) -> None:
    if not may_write(user, member):
        raise ForbiddenError(_("You may not write the registers of %(member)s.") % {"member": member.name_nb})


def _refuse_record(user: User | None, record: RegisterRecord) -> None:
    if isinstance(record, Organisation):
        if not may_edit_organisation(user, record):
            raise ForbiddenError(
                _("Only the editors of the member that registered %(name)s, and the admin, may change it.")
                % {"name": record.name}
            )
    else:
        _refuse_member(user, record.member)


# --- compare-and-set ---------------------------------------------------------------------------


def _locked(record: R, expected_version: int | None) -> R:
    """``record`` read again under a row lock; ConflictError when it is gone or not the version
    the editor read."""
    model = type(record)
    current = model.objects.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise ConflictError(
            _("“%(name)s” was deleted by someone else meanwhile; nothing was saved.") % {"name": str(record)}
        )
    if expected_version is not None and current.version != expected_version:
        raise _stale(current, expected_version)
    return current


def _stale(current: RegisterRecord, expected_version: int) -> ConflictError:
    who = current.updated_by.username if current.updated_by else _("someone else")
    return ConflictError(
        _(
            "“%(name)s” was changed by %(who)s since you opened it (version %(version)s, you had "
            "%(expected)s); your change was not saved. Your input is kept: compare it with the current "
            "record, then save again."
        )
        % {"name": str(current), "who": who, "version": current.version, "expected": expected_version}
    )


def _write(record: RegisterRecord, fields: dict[str, Any], user: User | None) -> None:
    """Write ``fields`` and the next version, only if the version is still the one read."""
    read = record.version
    now = timezone.now()
    written = (
        type(record)
        .objects.filter(pk=record.pk, version=read)
        .update(**fields, version=read + 1, updated_by=user, updated_at=now)
    )
    if written != 1:
        raise _stale(record, read)
    for key, value in fields.items():
        setattr(record, key, value)
    record.version = read + 1
    record.updated_by = user
    record.updated_at = now


class _Unchanged(Exception):
    """Raised inside a savepoint to roll back a save that changed nothing."""


def _same(before: dict[str, object], after: dict[str, object]) -> bool:
    ignore = {"version"}
    return {k: v for k, v in before.items() if k not in ignore} == {
        k: v for k, v in after.items() if k not in ignore
    }


# --- projects --------------------------------------------------------------------------------


def _project_fields(data: ProjectInput) -> dict[str, Any]:
    return {
        "title": data.title,
        "summary": data.summary,
        "description": data.description,
        "status": data.status,
        "progress": data.progress,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "responsible_unit": data.responsible_unit,
        "contact_name": data.contact_name,
        "contact_email": data.contact_email,
        "contact_public": data.contact_public,
        "budget_nok": data.budget_nok,
    }


def _project_parts(project: Project, data: ProjectInput) -> None:
    """Replace every part of ``project`` with those of ``data`` (already validated)."""
    project.goals.set(Goal.objects.filter(number__in=data.goals))
    project.sdg_targets.set(SdgTarget.objects.filter(code__in=data.sdg_targets))
    project.kpis.all().delete()
    project.deliverables.all().delete()
    project.partnerships.all().delete()
    project.funding.all().delete()
    project.links.all().delete()
    project.timeline.all().delete()
    series = dict(Series.objects.filter(code__in=[k.series for k in data.kpis]).values_list("code", "pk"))
    ProjectSeries.objects.bulk_create(
        ProjectSeries(
            project=project,
            series_id=series[k.series],
            expected=k.expected,
            expected_value=k.expected_value,
            expected_year=k.expected_year,
        )
        for k in data.kpis
    )
    partnerships: dict[int, Partnership] = {}
    for p in data.partners:
        made = Partnership.objects.create(
            project=project, organisation_id=p.organisation, role=p.role, note=p.note
        )
        partnerships.setdefault(p.organisation, made)
    Deliverable.objects.bulk_create(
        Deliverable(
            project=project,
            what=d.what,
            due_date=d.due_date,  # type: ignore[misc]
            status=d.status,
            partnership=partnerships.get(d.organisation) if d.organisation is not None else None,
        )
        for d in data.deliverables
    )
    Funding.objects.bulk_create(
        Funding(project=project, source=f.source, amount_nok=f.amount_nok, note=f.note) for f in data.funding
    )
    ProjectLink.objects.bulk_create(
        ProjectLink(project=project, title=x.title, url=x.url) for x in data.links
    )
    TimelineEntry.objects.bulk_create(
        TimelineEntry(project=project, date=t.date, text=t.text)  # type: ignore[misc]
        for t in data.timeline
    )


def _check_project(data: ProjectInput) -> None:
    problems = validation.project_problems(data)
    if problems:
        raise InputError(problems, summary=_("the project was not saved"))


@transaction.atomic
def project_create(
    *,
    member: Place,
    data: ProjectInput,
    user: User | None,
    publish: bool = False,
    is_demo: bool = False,
    key: str = "",
    note: str = "",
) -> Project:
    """A new project of ``member`` with all its parts; a draft unless ``publish``. ``key`` is the
    project's key in a project spreadsheet (see action.bulk)."""
    _refuse_member(user, member)
    _check_project(data)
    project = Project.objects.create(
        member=member,
        key=key,
        created_by=user,
        updated_by=user,
        is_demo=is_demo,
        published_at=timezone.now() if publish else None,
        **_project_fields(data),
    )
    _project_parts(project, data)
    history_write(project, Change.CREATE, before=None, after=snapshot(project), user=user, note=note)
    return project


def project_update_changed(
    *, project: Project, data: ProjectInput, expected_version: int | None, user: User | None, note: str = ""
) -> tuple[Project, bool]:
    """``project_update``, and whether anything changed (a save of the same data writes nothing)."""
    _refuse_member(user, project.member)
    _check_project(data)
    with transaction.atomic():
        current = _locked(project, expected_version)
        before = snapshot(current)
        try:
            with transaction.atomic():
                _write(current, _project_fields(data), user)
                _project_parts(current, data)
                after = snapshot(current)
                if _same(before, after):
                    raise _Unchanged
        except _Unchanged:
            current.refresh_from_db()
            return current, False
        history_write(current, Change.UPDATE, before=before, after=after, user=user, note=note)
        return current, True


def project_update(
    *, project: Project, data: ProjectInput, expected_version: int | None, user: User | None
) -> Project:
    """Replace a project and all its parts with ``data``, if nobody changed it since
    ``expected_version`` (None: the command line, last writer wins under the lock)."""
    return project_update_changed(project=project, data=data, expected_version=expected_version, user=user)[0]


# --- organisations ---------------------------------------------------------------------------


def _organisation_fields(data: OrganisationInput) -> dict[str, Any]:
    number, _problem = validation.org_number_or_problem(data.org_number)
    return {"name": data.name, "kind": data.kind, "org_number": number, "website": data.website}


def _check_organisation(data: OrganisationInput, existing: Organisation | None = None) -> None:
    problems = validation.organisation_problems(data, existing=existing)
    if problems:
        raise InputError(problems, summary=_("the organisation was not saved"))


def _duplicate_number(data: OrganisationInput, existing: Organisation | None) -> InputError:
    """A number registered by someone else between the check and the write."""
    problems = validation.organisation_problems(data, existing=existing)
    return InputError(problems or [], summary=_("the organisation was not saved"))


def organisation_create(
    *,
    data: OrganisationInput,
    user: User | None,
    member: Place | None = None,
    publish: bool = False,
    is_demo: bool = False,
) -> Organisation:
    """Register an organisation for the whole network. ``member`` is the member whose editors
    register it (and may edit it later); an editor must name one of theirs, the admin may not."""
    if user is not None:
        if member is None and not is_admin(user):
            if len(places := editable_places(user)) != 1:
                raise ForbiddenError(_("Only editors and the admin may register an organisation."))
            member = places[0]
        if member is not None:
            _refuse_member(user, member)
    _check_organisation(data)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                registered_by=member,
                created_by=user,
                updated_by=user,
                is_demo=is_demo,
                published_at=timezone.now() if publish else None,
                **_organisation_fields(data),
            )
            history_write(organisation, Change.CREATE, before=None, after=snapshot(organisation), user=user)
    except IntegrityError:
        raise _duplicate_number(data, None) from None
    return organisation


def organisation_update(
    *, organisation: Organisation, data: OrganisationInput, expected_version: int | None, user: User | None
) -> Organisation:
    _refuse_record(user, organisation)
    _check_organisation(data, organisation)
    try:
        with transaction.atomic():
            current = _locked(organisation, expected_version)
            before = snapshot(current)
            fields = _organisation_fields(data)
            if all(getattr(current, k) == v for k, v in fields.items()):
                return current
            _write(current, fields, user)
            history_write(current, Change.UPDATE, before=before, after=snapshot(current), user=user)
    except IntegrityError:
        raise _duplicate_number(data, organisation) from None
    return current


@transaction.atomic
def organisations_merge(*, keep: Organisation, other: Organisation, user: User | None) -> Organisation:
    """Merge ``other`` into ``keep`` (the admin's tool against duplicates): ``keep`` takes every
    partnership of ``other`` (and its number or website where it has none), ``other`` is deleted;
    both get a MERGE history row. Refused when a project would get the same partner twice in one
    role."""
    if user is not None and not is_admin(user):
        raise ForbiddenError(_("Only the admin may merge organisations."))
    if keep.pk == other.pk:
        raise InputError([], summary=_("choose two different organisations to merge"))
    keep = _locked(keep, None)
    other = _locked(other, None)
    taken = set(Partnership.objects.filter(organisation=keep).values_list("project_id", "role"))
    clashes = [
        p
        for p in Partnership.objects.filter(organisation=other).select_related("project")
        if (p.project_id, p.role) in taken
    ]
    if clashes:
        raise ConflictError(
            _(
                "Both organisations have the same role in %(projects)s: remove one of those partnerships "
                "first; nothing was merged."
            )
            % {"projects": ", ".join(f"“{p.project.title}” ({p.get_role_display()})" for p in clashes)}
        )
    keep_before, other_before = snapshot(keep), snapshot(other)
    Partnership.objects.filter(organisation=other).update(organisation=keep)
    fill = {
        name: getattr(other, name)
        for name in ("org_number", "website")
        if not getattr(keep, name) and getattr(other, name)
    }
    note = _("merged %(other)s (no. %(id)s) into %(keep)s (no. %(keep_id)s)") % {
        "other": other.name,
        "id": other.pk,
        "keep": keep.name,
        "keep_id": keep.pk,
    }
    history_write(other, Change.MERGE, before=other_before, after=None, user=user, note=note)
    other.delete()
    _write(keep, fill, user)
    history_write(keep, Change.MERGE, before=keep_before, after=snapshot(keep), user=user, note=note)
    return keep


# --- involvement and priorities ----------------------------------------------------------------


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
    _refuse_member(user, member)
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
    _refuse_member(user, member)
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
    _refuse_member(user, record.member)
    fields = _fields_for(type(record), data, record.member)
    with transaction.atomic():
        current = _locked(record, expected_version)
        before = snapshot(current)
        if all(getattr(current, k) == v for k, v in fields.items()):
            return current
        _write(current, fields, user)
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


# --- publish, unpublish, delete: the same for every register ------------------------------------


@transaction.atomic
def record_publish(*, record: R, user: User | None, expected_version: int | None = None) -> R:
    """Make a draft public (a published record stays as it is)."""
    _refuse_record(user, record)
    current = _locked(record, expected_version)
    if current.published_at is None:
        before = snapshot(current)
        _write(current, {"published_at": timezone.now()}, user)
        history_write(current, Change.PUBLISH, before=before, after=snapshot(current), user=user)
    return current


@transaction.atomic
def record_unpublish(*, record: R, user: User | None, expected_version: int | None = None) -> R:
    """Take a record off the public pages: its writers, and the admin for any record."""
    if not (user is None or is_admin(user)):
        _refuse_record(user, record)
    current = _locked(record, expected_version)
    if current.published_at is not None:
        before = snapshot(current)
        _write(current, {"published_at": None}, user)
        history_write(current, Change.UNPUBLISH, before=before, after=snapshot(current), user=user)
    return current


@transaction.atomic
def record_delete(*, record: R, user: User | None, expected_version: int | None = None) -> None:
    """Delete a record (a project with its parts); an organisation still in a project is kept."""
    _refuse_record(user, record)
    current = _locked(record, expected_version)
    if isinstance(current, Organisation) and current.partnerships.exists():
        raise ConflictError(
            _(
                "%(name)s is a partner in %(count)d project(s); remove it from them first "
                "(nothing was deleted)."
            )
            % {"name": current.name, "count": current.partnerships.values("project").distinct().count()}
        )
    history_write(current, Change.DELETE, before=snapshot(current), after=None, user=user)
    current.delete()
