from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ActionConfig(AppConfig):
    """The action registers: projects, organisations, citizen involvement and priorities."""

    name = "berekraft.action"
    label = "action"
    verbose_name = pgettext_lazy("admin", "Action")
