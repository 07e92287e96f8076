"""The worker's making of the whole network's downloads after a score run (web/network_files.py).

A task of its own, asked for by the score run's task once the run has committed
(``scores.tasks.score_run``), so that its failure never fails or retries the run (and a reader's
request still makes the file), and a newer run's prepare takes over: a prepare for a state that is
no longer the latest does nothing. Its priority is below the score runs', so a run that is due
goes first; a run asked for while a prepare is making a file waits about a second: the prepare
asks every second while it writes whether its state is still the latest, and drops the file if
not (``network_files._Watched``), rather than finish a zip of 27 s at 357 members.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks import TaskResultStatus, task

from berekraft.web import network_files

# Below a score run's (0): the worker takes a due run first.
PRIORITY = -10


@task(priority=PRIORITY)
def prepare_downloads(score_run: int) -> dict[str, Any]:
    """Make the kept downloads of the state of ``score_run`` (nothing if it is superseded)."""
    return network_files.prepare(score_run=score_run)


def _deferred() -> bool:
    """Whether tasks go to a worker. With the immediate backend (the tests' default) a prepare would
    run inside whatever asked for the score run, maybe a verifier's request: then, as before,
    the first reader's request makes each file."""
    return bool(prepare_downloads.get_backend().supports_defer)


def prepare_downloads_request(score_run: int, *, unless_waiting: bool = False) -> bool:
    """Ask the worker to prepare the downloads of ``score_run``'s state (True if asked). With
    ``unless_waiting``, not when a prepare is already waiting (the worker's start: a waiting one is
    of this run, or of an older one whose run has since been followed by this one's own prepare)."""
    if not _deferred() or not settings.PAGE_CACHE_SECONDS:  # (0: no file is kept)
        return False
    if unless_waiting:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=prepare_downloads.module_path
        )
        if waiting.exists():
            return False
    prepare_downloads.enqueue(score_run=score_run)
    return True
