from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from berekraft.scores.services import scores_recompute, scores_recompute_if_stale


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
