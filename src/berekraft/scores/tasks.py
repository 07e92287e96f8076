"""Score runs out of the request, on a background worker (django-tasks, database backend).

A change of published values or targets (verify, import, undo, an admin's target) commits and
asks for a run with ``score_run_request``; ``berekraft worker`` (started by ``berekraft serve``)
runs it. What keeps this honest:

- Coalesced: a run is asked for only when the scores are stale and no run is waiting; the one
  waiting reads the data version when it starts, so ten verifies while it waits make one run.
  It waits SCORE_RUN_DELAY_SECONDS before it may start, so a burst of changes is taken together.
- No lost change: the request checks for a waiting run and enqueues in one transaction, locking
  the waiting run's row (PostgreSQL) or holding the write lock (SQLite), so the worker cannot
  claim that run between the check and the change's commit: a waiting run that the request counts
  on starts after the change committed, and reads it.
- Never two at once: ``scores.runlock`` (database-level) around every run.
- A run that would change nothing does not start (``scores_recompute_if_stale``).
- A run scores only the series changed since the last run, at every place, and the aggregates
  they reach, where the record of changes allows (``scores.plan``, ``core.partial``); else all.
- A run that succeeds asks for the whole network's downloads of its state (the download-all zip
  and what readers asked for: ``web.tasks.prepare_downloads``), a task of its own, so the first
  reader after a run does not wait 14-38 s for the zip; its failure is not the run's.
- A run that fails is retried after RETRY_SECONDS; its scores and run are written in one
  transaction, so until a run succeeds the previous scores stay, marked stale
  (``scores_are_current``) and the pages say the scores are being updated. A worker that was
  killed mid-run leaves the same; ``berekraft worker`` asks for a run when it starts.

With the immediate backend (tests' default; ``TASKS`` in settings) the run happens in the call.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from berekraft.scores.selectors import scores_are_current
from berekraft.scores.services import scores_recompute_if_stale

log = logging.getLogger(__name__)

# Seconds before the 1st, 2nd and 3rd retry of a failed run; after that the next change, or the
# worker's next start, asks again.
RETRY_SECONDS = (5, 30, 120)


@task()
def score_run(attempt: int = 0) -> dict[str, Any]:
    """Recompute the scores if they are stale (the worker's task)."""
    try:
        run = scores_recompute_if_stale()
    except Exception:
        log.exception("score run failed (attempt %d)", attempt + 1)
        if _deferred() and attempt < len(RETRY_SECONDS):
            _enqueue(delay=RETRY_SECONDS[attempt], attempt=attempt + 1)
        raise
    if run is None:
        return {"ran": False}
    _prepare_downloads(run.pk)
    return {"ran": True, "score_run": run.pk, "data_version": run.data_version, "seconds": run.seconds}


def _prepare_downloads(run: int) -> None:
    """Ask for the whole network's downloads of the new state (``web.tasks.prepare_downloads``, a
    task of its own): the run has committed, and nothing about that task may fail or retry it."""
    from berekraft.web.tasks import prepare_downloads_request  # the files are the site's

    try:
        prepare_downloads_request(run)
    except Exception:
        log.exception("the downloads of score run %d were not asked for", run)


def _deferred() -> bool:
    """Whether runs go to a worker (a backend that stores tasks) rather than run in the call."""
    return bool(score_run.get_backend().supports_defer)


def _waiting(*, lock: bool) -> bool:
    """Whether a run is waiting that will start within the request delay (one retrying later
    does not count: a new change should not wait for it)."""
    from django_tasks_db.models import DBTaskResult

    horizon = timezone.now() + timedelta(seconds=settings.SCORE_RUN_DELAY_SECONDS)
    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=score_run.module_path, run_after__lte=horizon
    )
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("pk", flat=True).first() is not None


def _enqueue(*, delay: float, attempt: int = 0) -> None:
    if not _deferred():
        score_run.enqueue(attempt=attempt)
        return
    with transaction.atomic():
        if not _waiting(lock=True):
            after = timezone.now() + timedelta(seconds=delay)
            score_run.using(run_after=after).enqueue(attempt=attempt)


def score_run_request() -> None:
    """Ask for a score run if the stored scores are stale. Call it in the transaction that changed
    published values or targets (the run is then enqueued with the change, atomically), or after
    it committed; cheap when the scores are current or a run is already waiting."""
    if scores_are_current():
        return
    if _deferred() and not connection.in_atomic_block and _waiting(lock=False):
        return  # after the change committed, a waiting run will read it: no lock, no write
    _enqueue(delay=settings.SCORE_RUN_DELAY_SECONDS)


def score_run_pending() -> bool:
    """Whether a run is waiting or due: the stored scores are not of the current data."""
    return not scores_are_current()
