from django.apps import AppConfig


class CommandsConfig(AppConfig):
    name = "berekraft.commands"
    label = "commands"
