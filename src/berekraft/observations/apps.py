from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "berekraft.observations"
    label = "observations"
