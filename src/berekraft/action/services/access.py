"""Who may write the action registers: a member's editors their member's records; an
organisation's registering member's editors and the admin that organisation. Kept in one place so
the workspace (which hides what a user may not do), the bulk import and every service ask the
same question the same way.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from berekraft.accounts.selectors import can_edit, is_admin
from berekraft.action.history import RegisterRecord
from berekraft.action.models import Involvement, Organisation, Priority, Project
from berekraft.errors import ForbiddenError
from berekraft.places.models import Place

MemberRecord = Project | Involvement | Priority


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


def refuse_member(user: User | None, member: Place) -> None:
    if not may_write(user, member):
        raise ForbiddenError(_("You may not write the registers of %(member)s.") % {"member": member.name_nb})


def refuse_record(user: User | None, record: RegisterRecord) -> None:
    if isinstance(record, Organisation):
        if not may_edit_organisation(user, record):
            raise ForbiddenError(
                _("Only the editors of the member that registered %(name)s, and the admin, may change it.")
                % {"name": record.name}
            )
    else:
        refuse_member(user, record.member)
