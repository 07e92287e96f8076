from django.apps import AppConfig


class ScoresConfig(AppConfig):
    name = "berekraft.scores"
    label = "scores"
