"""Writing the action registers: create, update, publish, unpublish and delete projects,
organisations, citizen involvement and priorities.

- **Who** (``access``): a member's editors write their member's projects, involvement and
  priorities; an organisation is edited by the editors of the member that registered it and by
  the admin, and any editor may register one or link it to a project; the admin may also unpublish
  anything. Verifiers, users without a role and anonymous users write nothing. ``user`` None is the
  command line (trusted), as in observations.workflow.
- **All or nothing** (``projects``): a project and its parts (KPIs, goals, SDG targets, partners,
  deliverables, funding, links, timeline) are saved in one transaction; any problem writes nothing
  and every problem is reported at once (InputError, one Problem per field).
- **No lost update** (``versions``): an update carries the version the editor read; the UPDATE is
  a compare-and-set on that version, so a stale edit raises ConflictError and writes nothing
  (PostgreSQL also locks the row first; SQLite's IMMEDIATE transactions serialise writers).
- **History**: every change leaves an ActionHistory row with the record before and after.

Organisations are in ``organisations``, involvement and priorities in ``member_records``, and
publishing, unpublishing and deleting (the same for every register) in ``lifecycle``. This package
re-exports them all, so callers write ``from berekraft.action import services`` and
``services.project_create(...)`` whichever module holds the function.
"""

from __future__ import annotations

from berekraft.action.models import ActionHistory
from berekraft.action.services.access import MemberRecord, may_edit_organisation, may_write, may_write_record
from berekraft.action.services.lifecycle import record_delete, record_publish, record_unpublish
from berekraft.action.services.member_records import (
    involvement_create,
    involvement_update,
    priority_create,
    priority_update,
)
from berekraft.action.services.organisations import (
    organisation_create,
    organisation_update,
    organisations_merge,
)
from berekraft.action.services.projects import project_create, project_update, project_update_changed
from berekraft.action.services.versions import R

Change = ActionHistory.Change

__all__ = [
    "Change",
    "MemberRecord",
    "R",
    "involvement_create",
    "involvement_update",
    "may_edit_organisation",
    "may_write",
    "may_write_record",
    "organisation_create",
    "organisation_update",
    "organisations_merge",
    "priority_create",
    "priority_update",
    "project_create",
    "project_update",
    "project_update_changed",
    "record_delete",
    "record_publish",
    "record_unpublish",
]
