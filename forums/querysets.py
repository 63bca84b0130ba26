from django.db import models
from django.db.models import Q


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published threads, plus the person's own held or hidden ones; moderators see everything."""
        if user.is_authenticated and (user.is_superuser or user.is_moderator):
            return self
        if user.is_authenticated:
            return self.filter(Q(visibility="published") | Q(author=user, visibility__in=["held", "hidden"]))
        return self.filter(visibility="published")

    def for_listing(self):
        return self.select_related("author", "last_poster", "board", "board__programme").only(
            "id", "title", "reply_count", "like_count", "last_activity_at", "created_at", "is_pinned",
            "is_locked", "visibility", "author__display_name", "last_poster__display_name",
            "board__slug", "board__name", "board__programme__slug", "board__programme__short_name",
        )


class CommentQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(depth=1)
