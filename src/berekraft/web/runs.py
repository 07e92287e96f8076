"""The latest score run, as every app process sees it: the key of cached pages and constants, and
the pages' ETag and Last-Modified.

A run notes itself in the cache when its transaction commits (``score_run_committed``, connected in
``web/apps.py``), so with a shared cache (Redis) every process knows it at once; the note expires
after SCORE_RUN_CHECK_SECONDS, after which the database is asked again (a run committed by a
process with another cache, or with local memory only, is seen within that time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from berekraft.web.selectors import common

KEY = "score-run:latest"
NONE = (0, None)  # no run yet: cached as such, so an empty database is not asked every request

Run = tuple[int, datetime] | None


def latest() -> Run:
    """The latest run's id and time (a cache read; the database when the note is missing)."""
    noted = cache.get(KEY)
    if noted is None:
        run = common.latest_score_run()
        # add, not set: a run that committed meanwhile and noted itself is not overwritten.
        cache.add(KEY, run or NONE, timeout=settings.SCORE_RUN_CHECK_SECONDS)
        return run
    return None if noted == NONE else (noted[0], noted[1])


def score_run_committed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of a ScoreRun: once its transaction commits, every process keys on it."""
    if created:
        run = (instance.pk, instance.finished_at)
        transaction.on_commit(lambda: cache.set(KEY, run, timeout=settings.SCORE_RUN_CHECK_SECONDS))
