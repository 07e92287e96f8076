from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "berekraft.web"
    label = "web"
