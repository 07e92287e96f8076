"""The action registers: what members do about their results, with whom, and whom they asked.

- **Project** (tiltak / lokalt utviklingsprosjekt): owned by one member; linked to the SDGs and SDG
  targets it addresses and the KPI series it aims to move (ProjectSeries), with partners
  (Partnership → Organisation, with a role), SMART deliverables, funding, links and a timeline.
  (``projects``)
- **Organisation**: a partner from business, academia, the voluntary sector or the public sector,
  shared by the whole network (one record per organisation number), so its page lists every
  project it takes part in, in every member. (``organisations``)
- **Involvement** (medverknad): a citizen-involvement process of a member, for a project or on its
  own, with the groups it reached and what changed as a result (the feedback participants are owed).
  (``involvement``)
- **Priority**: a goal or KPI series a member has prioritised, why, for how long, by what decision.
  (``priorities``)

Every record is a draft until an editor publishes it (``published_at``); the public sees published
records only. ``version`` is raised on every save so that a stale edit is refused (optimistic
concurrency), and every change leaves an ActionHistory row (who, when, before, after; ``history``).
Writes go through ``action.services``; reads through ``action.selectors``.

This package re-exports every model, so ``from berekraft.action.models import Project`` and
Django's app loading (which imports ``berekraft.action.models``) see them all in one place.
"""

from __future__ import annotations

from berekraft.action.models.history import ActionHistory
from berekraft.action.models.involvement import Involvement
from berekraft.action.models.organisations import Organisation
from berekraft.action.models.priorities import Priority
from berekraft.action.models.projects import (
    Deliverable,
    Funding,
    Partnership,
    Project,
    ProjectLink,
    ProjectSeries,
    TimelineEntry,
)
from berekraft.action.models.record import Record

__all__ = [
    "ActionHistory",
    "Deliverable",
    "Funding",
    "Involvement",
    "Organisation",
    "Partnership",
    "Priority",
    "Project",
    "ProjectLink",
    "ProjectSeries",
    "Record",
    "TimelineEntry",
]
