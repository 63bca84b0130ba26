from django.db import models
from django.db.models import CharField, IntegerField, Q, Value

from .choices import UnderReview, Visibility

OWN_PENDING = [Visibility.HELD, Visibility.HIDDEN]


def _load_roles_and_scope(user) -> None:
    """A person's roles and moderation scope in one query, kept on the user object for the request
    (`User.has_role` reads the same `_role_names`), so enforcing scope costs no query of its own."""
    if hasattr(user, "_moderation_scope_ids"):
        return
    scopes = user.moderation_scopes.model.objects.filter(moderator=user)
    if hasattr(user, "_role_names"):
        moderator = user.is_moderator
        user._moderation_scope_ids = set(scopes.values_list("programme_id", flat=True)) if moderator else set()
        return
    groups = user.groups.annotate(scope=Value(None, output_field=IntegerField())).values_list("name", "scope")
    rows = groups.union(scopes.annotate(name=Value("", output_field=CharField())).values_list("name", "programme_id"))
    user._role_names = {name for name, scope in rows if scope is None}
    user._moderation_scope_ids = {scope for name, scope in rows if scope is not None}


def moderation_scope(user) -> set[int]:
    """The programmes a scoped moderator works in (empty: no scope rows, so everywhere)."""
    _load_roles_and_scope(user)
    return user._moderation_scope_ids


def sees_everything(user) -> bool:
    """Superusers and moderators without a scope see held, hidden and removed posts everywhere."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    _load_roles_and_scope(user)
    return user.is_moderator and not user._moderation_scope_ids


def sees_pending_in(user) -> set[int]:
    """The programmes where a scoped moderator sees held and hidden posts; empty for everyone else."""
    if not user.is_authenticated or user.is_superuser:
        return set()
    _load_roles_and_scope(user)
    return user._moderation_scope_ids if user.is_moderator else set()


def sees_pending(user, programme_id) -> bool:
    """Whether `user` sees every post in `programme_id`, held and hidden ones too: a moderator in scope."""
    return sees_everything(user) or programme_id in sees_pending_in(user)


def visibility_q(user, prefix: str = "") -> Q:
    """Published, plus the person's own held or hidden posts. `prefix` reaches a related post ("thread__")."""
    published = Q(**{f"{prefix}visibility": Visibility.PUBLISHED})
    if user.is_authenticated:
        return published | Q(**{f"{prefix}author": user, f"{prefix}visibility__in": OWN_PENDING})
    return published


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published threads, plus the person's own held or hidden ones; moderators see everything in
        their programmes."""
        if sees_everything(user):
            return self
        scope = sees_pending_in(user)
        if scope:
            return self.filter(visibility_q(user) | Q(board__programme_id__in=scope))
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
        Moderators see every comment that still has its words in the programmes they moderate.

        The threads are excluded by the few that are not visible (a partial index lists them), not
        joined: a search over a million comments then never reads the whole thread table."""
        live = self.filter(is_deleted=False)
        if sees_everything(user):
            return live
        threads = self.model._meta.get_field("thread").related_model.objects
        unseen = threads.exclude(visibility=Visibility.PUBLISHED)
        seen = visibility_q(user)
        if user.is_authenticated:
            unseen = unseen.exclude(author=user, visibility__in=OWN_PENDING)
        scope = sees_pending_in(user)
        if scope:
            unseen = unseen.exclude(board__programme_id__in=scope)
            seen |= Q(thread__board__programme_id__in=scope)
        return live.filter(seen).exclude(thread_id__in=unseen.values("pk"))


def text_may_travel(post) -> bool:
    """Whether words of a thread or comment may leave the site (email, inbox excerpt, feed): not while
    it waits for a moderator's first look after crisis language."""
    return post.under_review != UnderReview.CRISIS


TEXT_MAY_TRAVEL = ~Q(under_review=UnderReview.CRISIS)
"""The same rule as a filter, for feeds and other lists of posts."""
