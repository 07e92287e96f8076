"""The latest score run and the latest change of the action registers, as every app process sees
them: the key of cached pages and constants, and the pages' ETag and Last-Modified. What the public
pages show changes only with a score run or a register change (a project published, edited or
unpublished: every change leaves an ActionHistory row).

Each notes itself in the cache when its transaction commits (``score_run_committed`` and
``register_changed``, connected in ``web/apps.py``), so with a shared cache (Redis) every process
knows it at once; a note expires after SCORE_RUN_CHECK_SECONDS, after which the database is asked
again (a change committed by a process with another cache, or with local memory only, is seen
within that time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

KEY = "public-state:latest"
NONE = (0, None)  # none yet: cached as such, so an empty database is not asked every request

# ((latest score run id, latest register change id, data version the run read, data version now),
# the later of the run's and the change's times), or None (action.selectors.public_state).
State = tuple[tuple[int, int, int, int], datetime] | None


def latest() -> State:
    """The latest run's and register change's ids and the later time (a cache read; one query
    when the note is missing)."""
    from berekraft.action.selectors import public_state

    noted = cache.get(KEY)
    if noted is None:
        found = public_state()
        # add, not set: a note made meanwhile by another process is not overwritten.
        cache.add(KEY, found or NONE, timeout=settings.SCORE_RUN_CHECK_SECONDS)
        return found
    if noted == NONE:
        return None
    ids = noted[0]
    return (ids[0], ids[1], ids[2], ids[3]), noted[1]


def _forget() -> None:
    cache.delete(KEY)


def forget_on_commit() -> None:
    """The data version was raised in this transaction (observations.services.data_version_bump):
    once it commits, every process reads the new state, and the pages say the scores are being
    updated until the worker's run has read it."""
    transaction.on_commit(_forget)


def score_run_committed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of a ScoreRun: once its transaction commits, every process reads the new state."""
    if created:
        transaction.on_commit(_forget)


def register_changed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of an ActionHistory row: once its transaction commits, every process reads anew."""
    if created:
        transaction.on_commit(_forget)
