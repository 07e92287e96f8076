from typing import Any

from django.apps import AppConfig


def _target_changed(**kwargs: Any) -> None:
    from django.db import transaction

    from berekraft.observations.services import data_version_bump
    from berekraft.scores.tasks import score_run_request

    data_version_bump([kwargs["instance"].series_id])
    # After the commit: an admin's save (or a reference load saving many targets) asks once.
    transaction.on_commit(score_run_request)


class ScoresConfig(AppConfig):
    name = "berekraft.scores"
    label = "scores"

    def ready(self) -> None:
        # Targets are edited in the admin, which calls no service: a changed target makes the
        # stored scores stale (scores.selectors.scores_are_current) in the same transaction, and
        # a score run is asked for when it commits (scores.tasks).
        from django.db.models.signals import post_delete, post_save

        from berekraft.catalogue.models import Target

        post_save.connect(_target_changed, sender=Target, dispatch_uid="scores-target-saved")
        post_delete.connect(_target_changed, sender=Target, dispatch_uid="scores-target-deleted")
