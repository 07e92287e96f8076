from __future__ import annotations

from types import FrameType
from typing import Any

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from berekraft.scores.models import ScoreRun
from berekraft.scores.selectors import scores_are_current
from berekraft.scores.tasks import score_run_request
from berekraft.web import network_files
from berekraft.web.tasks import prepare_downloads_request


class _Worker(db_worker.Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """Asked to stop: the task running finishes (a score run is written whole or not at all),
        but a prepare of downloads stops within a second (``network_files.STOPPING``)."""
        network_files.STOPPING.set()
        super().shutdown(signum, frame)


class Command(DatabaseWorker):
    help = (
        "Run the background worker: the score runs that changes of published values or targets ask "
        "for, and after each the whole network's downloads. `berekraft serve` starts one beside the "
        "web server."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # A run that was killed with its worker (or never asked for) is asked for again now; with
        # the scores current, the downloads of their state are made if they are not there (a
        # prepare killed with its worker, or a new BEREKRAFT_HOME).
        score_run_request()
        latest = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
        if latest is not None and scores_are_current():
            prepare_downloads_request(latest, unless_waiting=True)
        # django-tasks-db's command builds its worker from the module's name ``Worker``: ours.
        db_worker.Worker = _Worker  # type: ignore[misc]
        super().handle(*args, **options)
