"""No lost update: every register write is a compare-and-set on the version the editor read.

An update carries that version; the record is read again under a row lock and the UPDATE only
applies if the version is unchanged, so a stale edit raises ConflictError and writes nothing
(PostgreSQL also locks the row first; SQLite's IMMEDIATE transactions serialise writers). Kept
apart so every register (projects, organisations, involvement, priorities) shares one mechanism.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from berekraft.action.history import RegisterRecord
from berekraft.action.models import Involvement, Organisation, Priority, Project
from berekraft.errors import ConflictError

R = TypeVar("R", Project, Organisation, Involvement, Priority)


def locked(record: R, expected_version: int | None) -> R:
    """``record`` read again under a row lock; ConflictError when it is gone or not the version
    the editor read."""
    model = type(record)
    current = model.objects.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise ConflictError(
            _("“%(name)s” was deleted by someone else meanwhile; nothing was saved.") % {"name": str(record)}
        )
    if expected_version is not None and current.version != expected_version:
        raise stale(current, expected_version)
    return current


def stale(current: RegisterRecord, expected_version: int) -> ConflictError:
    who = current.updated_by.username if current.updated_by else _("someone else")
    return ConflictError(
        _(
            "“%(name)s” was changed by %(who)s since you opened it (version %(version)s, you had "
            "%(expected)s); your change was not saved. Your input is kept: compare it with the current "
            "record, then save again."
        )
        % {"name": str(current), "who": who, "version": current.version, "expected": expected_version}
    )


def write(record: RegisterRecord, fields: dict[str, Any], user: User | None) -> None:
    """Write ``fields`` and the next version, only if the version is still the one read."""
    read = record.version
    now = timezone.now()
    written = (
        type(record)
        .objects.filter(pk=record.pk, version=read)
        .update(**fields, version=read + 1, updated_by=user, updated_at=now)
    )
    if written != 1:
        raise stale(record, read)
    for key, value in fields.items():
        setattr(record, key, value)
    record.version = read + 1
    record.updated_by = user
    record.updated_at = now


class Unchanged(Exception):
    """Raised inside a savepoint to roll back a save that changed nothing."""


def same(before: dict[str, object], after: dict[str, object]) -> bool:
    ignore = {"version"}
    return {k: v for k, v in before.items() if k not in ignore} == {
        k: v for k, v in after.items() if k not in ignore
    }
