from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "berekraft.catalogue"
    label = "catalogue"
