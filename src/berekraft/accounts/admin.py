from django.contrib import admin

from berekraft.accounts.models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin[Role]):
    list_display = ["user", "kind", "network"]
    list_filter = ["kind", "network"]
    filter_horizontal = ["places"]
