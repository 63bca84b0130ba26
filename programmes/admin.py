from django.contrib import admin

from .models import ContributionAudit, DiscussionExport, EngagementSession, Event, Poll, Programme, Update


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["short_name"]}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff write these in the staff area (/staff/), whose services keep discussions, counters and
    notifications right; admin shows them for reference only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Update)
class UpdateAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "status", "published_at", "publish_at"]
    list_filter = ["status", "programme"]
    search_fields = ["title"]


@admin.register(Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ["question", "programme", "kind", "opens_at", "closes_at"]
    list_filter = ["programme"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "starts_at", "borough", "capacity", "attendee_count"]
    list_filter = ["programme", "borough"]


@admin.register(DiscussionExport)
class DiscussionExportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "programme", "requested_by", "status", "rows_done", "created_at"]


@admin.register(EngagementSession)
class EngagementSessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "date", "borough"]
    list_filter = ["kind"]


@admin.register(ContributionAudit)
class ContributionAuditAdmin(ReadOnlyAdmin):
    """Who entered, edited, published or withdrew which offline contribution: never the words."""

    list_display = ["contribution_id", "action", "actor", "created_at"]
    list_filter = ["action"]
