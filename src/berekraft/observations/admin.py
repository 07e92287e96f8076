from django.contrib import admin

from berekraft.observations.models import ObservationHistory


@admin.register(ObservationHistory)
class ObservationHistoryAdmin(admin.ModelAdmin[ObservationHistory]):
    """Read-only: history is never edited."""

    list_display = [
        "observation",
        "version",
        "old_value",
        "new_value",
        "new_status",
        "changed_by",
        "changed_at",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
