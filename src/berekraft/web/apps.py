from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "berekraft.web"
    label = "web"

    def ready(self) -> None:
        # A finished score run is noted in the cache when it commits: cached pages of every app
        # process are keyed on it (web/runs.py).
        from django.db.models.signals import post_save

        from berekraft.action.models import ActionHistory
        from berekraft.scores.models import ScoreRun
        from berekraft.web.runs import register_changed, score_run_committed

        post_save.connect(score_run_committed, sender=ScoreRun, dispatch_uid="web-score-run-committed")
        post_save.connect(register_changed, sender=ActionHistory, dispatch_uid="web-register-changed")
