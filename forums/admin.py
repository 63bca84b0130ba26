from django.contrib import admin

from .models import (
    Board,
    Comment,
    CommentRevision,
    ModerationAction,
    ModerationConfig,
    ModeratorScope,
    Tag,
    Thread,
    WordRule,
)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "slug", "position", "thread_count"]
    list_filter = ["programme"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["thread_count"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "author", "visibility", "is_pinned", "is_locked", "reply_count", "created_at"]
    list_filter = ["visibility", "is_pinned", "is_locked", "board__programme"]
    search_fields = ["title"]
    raw_id_fields = ["author", "last_poster"]
    readonly_fields = ["body_html", "reply_count", "top_level_count", "like_count", "last_activity_at"]
    list_select_related = ["board", "author"]


class RevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    readonly_fields = ["body", "edited_by", "created_at"]
    can_delete = False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "thread", "author", "depth", "visibility", "is_deleted", "created_at"]
    list_filter = ["visibility", "is_deleted"]
    raw_id_fields = ["thread", "author", "parent", "root", "in_reply_to"]
    readonly_fields = ["body_html", "like_count"]
    inlines = [RevisionInline]
    list_select_related = ["thread", "author"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(ModerationConfig)
class ModerationConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report_threshold", "premoderated_posts", "updated_at"]

    def has_add_permission(self, request):
        return not ModerationConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["phrase"]


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    list_display = ["moderator", "programme"]
    list_filter = ["programme"]
    raw_id_fields = ["moderator"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited or deleted, here or anywhere on the site."""

    list_display = ["created_at", "actor", "kind", "content_key", "subject", "programme"]
    list_filter = ["kind", "programme"]
    search_fields = ["reason", "content_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
