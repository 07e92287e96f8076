from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from berekraft.scores.services import scores_recompute


class Command(BaseCommand):
    help = "Recompute and store every score from the observations and targets in the database."

    def handle(self, *args: Any, **options: Any) -> None:
        run = scores_recompute()
        self.stdout.write(
            f"Scored {run.observations} observations: {run.series_scores} series scores, "
            f"{run.aggregate_scores} aggregates in {run.seconds:.2f} s"
        )
