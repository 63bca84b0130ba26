from django.contrib import admin

from .models import OutboxJob


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by services and run by workers. Useful to see why something did not happen."""

    list_display = ["task", "status", "attempts", "created_at", "due_at", "finished_at", "error"]
    list_filter = ["status", "task"]
    exclude = ["args"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
