from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "berekraft.places"
    label = "places"
