"""Publishing, unpublishing and deleting: the same for every register, so one set of functions
serves projects, organisations, involvement and priorities.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.accounts.selectors import is_admin
from berekraft.action.history import history_write, snapshot
from berekraft.action.models import ActionHistory, Organisation
from berekraft.action.services.access import refuse_record
from berekraft.action.services.versions import R, locked, write
from berekraft.errors import ConflictError

Change = ActionHistory.Change


@transaction.atomic
def record_publish(*, record: R, user: User | None, expected_version: int | None = None) -> R:
    """Make a draft public (a published record stays as it is)."""
    refuse_record(user, record)
    current = locked(record, expected_version)
    if current.published_at is None:
        before = snapshot(current)
        write(current, {"published_at": timezone.now()}, user)
        history_write(current, Change.PUBLISH, before=before, after=snapshot(current), user=user)
    return current


@transaction.atomic
def record_unpublish(*, record: R, user: User | None, expected_version: int | None = None) -> R:
    """Take a record off the public pages: its writers, and the admin for any record."""
    if not (user is None or is_admin(user)):
        refuse_record(user, record)
    current = locked(record, expected_version)
    if current.published_at is not None:
        before = snapshot(current)
        write(current, {"published_at": None}, user)
        history_write(current, Change.UNPUBLISH, before=before, after=snapshot(current), user=user)
    return current


@transaction.atomic
def record_delete(*, record: R, user: User | None, expected_version: int | None = None) -> None:
    """Delete a record (a project with its parts); an organisation still in a project is kept."""
    refuse_record(user, record)
    current = locked(record, expected_version)
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
