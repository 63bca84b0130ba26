from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase

from talkhealth.links import url_prefix

from .choices import ThreadStatus, UnderReview, Visibility
from .querysets import CommentQuerySet, ThreadQuerySet


class Tag(TagBase):
    """A topic label shared across programmes. Names are stored lower-case with single spaces."""

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"

    def get_absolute_url(self):
        return self.path

    @property
    def path(self) -> str:
        return f"{url_prefix('forums:tag', 'slug')}{self.slug}/"


class TaggedThread(GenericTaggedItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_threads")

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]


class Board(models.Model):
    """A place for discussions within a programme: "General discussion", "Ideas", ..."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="boards")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    accepts_threads = models.BooleanField(
        default=True, help_text="Residents may start discussions here. Programme updates have a board of their own."
    )

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="forums_board_unique_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:board", kwargs={"programme_slug": self.programme.slug, "slug": self.slug})


class Thread(models.Model):
    # No index of their own: the listing indexes lead with the board, "author_recent" with the author.
    # Every reply updates its thread's row, and an update that cannot stay on its page writes a new
    # entry in each of the thread's indexes, so each one must earn its place.
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads", db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads", db_index=False
    )
    title = models.CharField(max_length=150)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    under_review = models.CharField(max_length=8, choices=UnderReview.choices, default=UnderReview.NO, blank=True)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    is_deleted = models.BooleanField(
        default=False, help_text="Its opening post deleted by its author; kept so the replies keep their place."
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_count = models.PositiveIntegerField(default=0, help_text="Published comments, kept by the services.")
    top_level_count = models.PositiveIntegerField(default=0, help_text="Top-level comments, for pagination.")
    like_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title (weight A) and body (weight B). On PostgreSQL a trigger keeps it, so bulk loads fill it too.",
    )
    status = models.CharField(max_length=12, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_update = models.ForeignKey(
        "programmes.Update",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_threads",
        help_text="The programme update that records the change this discussion led to.",
    )
    official_response = models.ForeignKey(
        "forums.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The first official response, linked from the top of the discussion.",
    )
    page_url = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the discussion is shown when it belongs to something else, such as a programme update.",
    )

    tags = TaggableManager(through=TaggedThread, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at"]
        indexes = [
            models.Index(fields=["board", "-is_pinned", "-last_activity_at"], name="forums_thread_board_listing"),
            models.Index(fields=["-last_activity_at"], name="forums_thread_activity"),
            models.Index(fields=["author", "-created_at"], name="forums_thread_author_recent"),
            models.Index(fields=["id"], condition=~Q(visibility=Visibility.PUBLISHED), name="forums_thread_unpublished"),
            models.Index(fields=["board", "-created_at"], name="forums_thread_board_newest"),
            models.Index(fields=["board", "-like_count"], name="forums_thread_board_liked"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.page_url or f"{url_prefix('forums:thread_short')}{self.pk}/{self.slug}/"

    RESERVED_SLUGS = {"reply", "like", "follow", "pin", "lock", "report", "edit", "delete", "history", "feed"}

    @property
    def loaded_board(self) -> "Board | None":
        """The board, with its programme, when both were read with the thread (select_related); else None."""
        if Thread.board.is_cached(self) and Board.programme.is_cached(self.board):
            return self.board
        return None

    @property
    def slug(self) -> str:
        """The title as a URL slug, kept clear of the thread's action URLs."""
        slug = slugify(self.title)[:60] or "thread"
        return f"{slug}-thread" if slug in self.RESERVED_SLUGS else slug


class Comment(models.Model):
    """A reply in a thread. Replies nest three deep: `depth` is 1 to 3 and `root` is the top-level comment."""

    MAX_DEPTH = 3

    # No index of their own: "top_level" leads with the thread, "author_recent" with the author and
    # "replies" with the root, and each index is one more write for every comment posted.
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments", db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    depth = models.PositiveSmallIntegerField(default=1)
    in_reply_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when a reply to a deeper comment attaches at the third level: whom it answers.",
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    under_review = models.CharField(max_length=8, choices=UnderReview.choices, default=UnderReview.NO, blank=True)
    is_deleted = models.BooleanField(default=False, help_text="Deleted by its author; kept so replies keep context.")
    is_official = models.BooleanField(
        default=False, help_text="Posted by partnership staff as the programme team's official response."
    )
    offline_marker = models.CharField(
        max_length=200,
        blank=True,
        help_text='Set when the partnership placed something said offline here: "Said at the Brent roadshow, '
        '12 May · recorded by the partnership". Shown instead of an author.',
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="The body (weight B), kept by a trigger on PostgreSQL."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "depth", "created_at"], name="forums_comment_top_level"),
            models.Index(fields=["thread", "depth", "-like_count"], name="forums_comment_top_liked"),
            models.Index(fields=["root", "created_at"], name="forums_comment_replies"),
            models.Index(fields=["author", "-created_at"], name="forums_comment_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__gte=1, depth__lte=3), name="forums_comment_depth_1_to_3"),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.thread_id}"

    def get_absolute_url(self):
        return self.path

    @property
    def path(self) -> str:
        """"/comments/<id>/": the permalink, and the base of the comment's action URLs (like/,
        reply/, edit/, ...). Built from one reverse() per process, since a page lists hundreds."""
        return f"{url_prefix('forums:comment')}{self.pk}/"


class CommentRevision(models.Model):
    """The text a comment had before an edit. Moderators can read the history."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class ThreadRevision(models.Model):
    """The title and text a discussion's opening post had before an edit. Its author and moderators
    can read the history; deleting the post deletes it too."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=150)
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class ThreadLike(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # No index of its own: the constraint leads with the thread.
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="likes", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="forums_threadlike_once")]


class CommentLike(models.Model):
    # No index of their own: the constraint leads with the comment, "forums_commentlike_user" with the user.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="forums_commentlike_once")]
        indexes = [models.Index(fields=["user", "comment"], name="forums_commentlike_user")]


class ThreadFollow(models.Model):
    # No index of their own: the constraint leads with the thread, "forums_threadfollow_user" with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows", db_index=False
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="forums_threadfollow_once")]
        indexes = [models.Index(fields=["user", "thread"], name="forums_threadfollow_user")]


from .moderation.models import (  # noqa: E402,F401  (registered as forums models)
    Appeal,
    FlaggedItem,
    HouseRule,
    ModerationAction,
    ModerationConfig,
    ModeratorScope,
    Report,
    ReportReason,
    SafeguardingEntry,
    Sanction,
    SafetyAlert,
    WordRule,
)
