from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from berekraft.scores.services import scores_recompute, scores_recompute_if_stale
from berekraft.web.tasks import prepare_downloads_request


class Command(BaseCommand):
    help = "Recompute and store every score from the observations and targets in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="only if the stored scores are not of the current data (e.g. a score run was killed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = scores_recompute_if_stale() if options["if_stale"] else scores_recompute()
        if run is None:
            self.stdout.write("Scores are current: nothing to do")
            return
        self.stdout.write(
            f"Scored {run.observations} observations: {run.series_scores} series scores, "
            f"{run.aggregate_scores} aggregates in {run.seconds:.2f} s"
        )
        # As after the worker's own runs: the worker makes the whole network's downloads of the
        # new state (web/tasks.py; when it next looks, if none is running now). Silent: the line
        # above is the last, which bench/import_norway.py reports.
        try:
            prepare_downloads_request(run.pk)
        except Exception as exc:  # the scores are stored: the first reader makes the files then
            self.stderr.write(f"The downloads were not asked for: {exc}")
