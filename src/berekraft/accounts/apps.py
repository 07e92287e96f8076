from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _role_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from berekraft.accounts.services import admin_access_sync

    admin_access_sync(user=instance.user)


class AccountsConfig(AppConfig):
    name = "berekraft.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Django-admin access follows the admin role however the role changes: role_grant,
        the admin's role pages, or a deletion."""
        post_save.connect(_role_changed, sender="accounts.Role", dispatch_uid="role-admin-access")
        post_delete.connect(_role_changed, sender="accounts.Role", dispatch_uid="role-admin-access-del")
