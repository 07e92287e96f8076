from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "berekraft.workspace"
    label = "workspace"
