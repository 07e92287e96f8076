"""Writing organisations: registering, editing and merging the network's partner register, where
an organisation number is unique across the network (a number taken meanwhile is reported as
input, never as a 500) and only the admin merges duplicates.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.accounts.selectors import editable_places, is_admin
from berekraft.action import validation
from berekraft.action.history import history_write, snapshot
from berekraft.action.inputs import OrganisationInput
from berekraft.action.models import ActionHistory, Organisation, Partnership
from berekraft.action.services.access import refuse_member, refuse_record
from berekraft.action.services.versions import locked, write
from berekraft.errors import ConflictError, ForbiddenError, InputError
from berekraft.places.models import Place

Change = ActionHistory.Change


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
            refuse_member(user, member)
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
    refuse_record(user, organisation)
    _check_organisation(data, organisation)
    try:
        with transaction.atomic():
            current = locked(organisation, expected_version)
            before = snapshot(current)
            fields = _organisation_fields(data)
            if all(getattr(current, k) == v for k, v in fields.items()):
                return current
            write(current, fields, user)
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
    keep = locked(keep, None)
    other = locked(other, None)
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
    write(keep, fill, user)
    history_write(keep, Change.MERGE, before=keep_before, after=snapshot(keep), user=user, note=note)
    return keep
