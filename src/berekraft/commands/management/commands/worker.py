from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from berekraft.scores.tasks import score_run_request


class Command(DatabaseWorker):
    help = (
        "Run the background worker: the score runs that changes of published values or targets ask "
        "for. `berekraft serve` starts one beside the web server."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # A run that was killed with its worker (or never asked for) is asked for again now.
        score_run_request()
        super().handle(*args, **options)
