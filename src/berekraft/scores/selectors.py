"""Reads about the stored scores."""

from __future__ import annotations

from berekraft.observations.services import data_version_read
from berekraft.scores.models import ScoreRun


def scores_are_current() -> bool:
    """Whether the stored scores were computed from the published values and targets as they are
    now. False while a recomputation is due (after a change whose score run has not finished, or
    was killed): pages can say "scores are being updated"; ``berekraft recompute --if-stale`` and
    the next import or verify redo it."""
    latest = ScoreRun.objects.order_by("-pk").values_list("data_version", flat=True).first()
    return latest is not None and latest == data_version_read()
