"""The worker heartbeats, read-only."""

from django.contrib import admin

from enablement.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "last_seen_at", "beats")
    readonly_fields = ("hostname", "last_seen_at", "beats", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False
