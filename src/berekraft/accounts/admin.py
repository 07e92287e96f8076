from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from berekraft.accounts.models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin[Role]):
    list_display = ["user", "kind", "network"]
    list_filter = ["kind", "network"]
    filter_horizontal = ["places"]


class GuardedUserAdmin(UserAdmin[User]):
    """Users, as the admin role may edit them: never superuser status, groups or permissions
    (only a superuser gives those), and superusers themselves read-only."""

    _guarded = ("is_superuser", "groups", "user_permissions")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in self._guarded]})
            for name, opts in fieldsets
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, GuardedUserAdmin)
