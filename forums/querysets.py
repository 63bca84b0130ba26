from django.db import models
from django.db.models import Q

OWN_PENDING = ["held", "hidden"]


def sees_everything(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_moderator)


def visibility_q(user, prefix: str = "") -> Q:
    """Published, plus the person's own held or hidden posts. `prefix` reaches a related post ("thread__")."""
    published = Q(**{f"{prefix}visibility": "published"})
    if user.is_authenticated:
        return published | Q(**{f"{prefix}author": user, f"{prefix}visibility__in": OWN_PENDING})
    return published


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published threads, plus the person's own held or hidden ones; moderators see everything."""
        if sees_everything(user):
            return self
        return self.filter(visibility_q(user))

    def for_listing(self):
        return self.select_related("author", "last_poster", "board", "board__programme").only(
            "id", "title", "reply_count", "like_count", "last_activity_at", "created_at", "is_pinned",
            "is_locked", "visibility", "status", "page_url", "author__display_name", "last_poster__display_name",
            "board__slug", "board__name", "board__programme__slug", "board__programme__short_name",
        )


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments whose words `user` may read outside their thread page: not deleted by their
        author, published (or the person's own held or hidden ones) and in a thread they can see.
        Moderators see every comment that still has its words.

        The threads are excluded by the few that are not visible (a partial index lists them), not
        joined: a search over a million comments then never reads the whole thread table."""
        live = self.filter(is_deleted=False)
        if sees_everything(user):
            return live
        threads = self.model._meta.get_field("thread").related_model.objects
        unseen = threads.exclude(visibility="published")
        if user.is_authenticated:
            unseen = unseen.exclude(author=user, visibility__in=OWN_PENDING)
        return live.filter(visibility_q(user)).exclude(thread_id__in=unseen.values("pk"))


def text_may_travel(post) -> bool:
    """Whether words of a thread or comment may leave the site (email, inbox excerpt, feed): not while
    it waits for a moderator's first look after crisis language."""
    return post.under_review != "crisis"


TEXT_MAY_TRAVEL = ~Q(under_review="crisis")
"""The same rule as a filter, for feeds and other lists of posts."""
