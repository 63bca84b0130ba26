"""Writes in discussions: keyword-only, one transaction each, permission checked inside."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.services import equality_snapshot_take
from talkhealth import markdown, timefmt

from . import hooks, notifications, pagetags, text
from .moderation import services as moderation
from .querysets import sees_pending
from .rules import is_suspended, programme_of
from .models import (
    Board,
    Comment,
    CommentLike,
    CommentRevision,
    Thread,
    ThreadFollow,
    ThreadLike,
    Visibility,
)


def _require(actor, perm: str, obj=None, message: str = "You do not have permission to do that.") -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _require_author(actor, comment: Comment, message: str) -> None:
    """The residents' edit and delete are the author's own, whatever else the person may do."""
    if not (actor.is_authenticated and comment.author_id == actor.pk):
        raise PermissionDenied(message)


def _require_posting(actor, perm: str, message: str) -> None:
    """Posting needs a confirmed email and no suspension; a suspended person is told until when."""
    if is_suspended(actor):
        until = timefmt.exact(actor._suspended_until)
        raise PermissionDenied(f"A moderator has suspended your posting until {until}. You can still read discussions.")
    _require(actor, perm, message=message)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something before posting.", code="empty")
    if len(body) > settings.FORUMS_BODY_MAX:
        raise ValidationError(
            f"Posts can be at most {settings.FORUMS_BODY_MAX:,} characters; yours has {len(body):,}.", code="too_long"
        )
    return body


def _check_posting(actor, body: str) -> None:
    """Rate limits, the duplicate guard and the link cap for new accounts, across threads and comments."""
    text.check_links(actor, body)
    since = timezone.now() - max(
        text.longest_rate_window(actor), timedelta(minutes=settings.FORUMS_DUPLICATE_WINDOW_MINUTES)
    )
    threads = Thread.objects.filter(author=actor, created_at__gte=since).order_by().values_list("created_at", "body")
    comments = Comment.objects.filter(author=actor, created_at__gte=since).order_by().values_list("created_at", "body")
    recent = sorted(threads.union(comments, all=True), reverse=True)  # one query for both
    duplicate_since = timezone.now() - timedelta(minutes=settings.FORUMS_DUPLICATE_WINDOW_MINUTES)
    if any(created > duplicate_since and text.same_text(old, body) for created, old in recent):
        raise ValidationError("You have just posted exactly this. It has not been posted again.", code="duplicate")
    text.check_rate(actor, [created for created, _ in recent])


def _follow(user, thread) -> None:
    """One INSERT that does nothing when they already follow it."""
    ThreadFollow.objects.bulk_create([ThreadFollow(user=user, thread=thread)], ignore_conflicts=True)


@transaction.atomic
def thread_create(
    *, actor, board: Board, title: str, body: str, tags: list[str] = (), personal_confirmed: bool = False
) -> Thread:
    """Start a discussion. Screening may hold it for a moderator; `thread.screening` says what happened."""
    _require_posting(actor, "forums.add_thread", "Confirm your email address before starting a discussion.")
    if not board.accepts_threads:
        raise ValidationError("New discussions cannot be started on this board.", code="closed_board")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Give your discussion a title.", code="empty_title")
    if len(title) > settings.FORUMS_TITLE_MAX:
        raise ValidationError(f"Titles can be at most {settings.FORUMS_TITLE_MAX} characters.", code="long_title")
    body = _clean_body(body)
    names = text.tag_names(tags)
    if len(names) > settings.FORUMS_MAX_TAGS:
        raise ValidationError(f"Use at most {settings.FORUMS_MAX_TAGS} tags.", code="too_many_tags")
    text.check_tags(names)
    _check_posting(actor, body)
    screening = moderation.post_screen(actor=actor, text=f"{title}\n{body}", personal_confirmed=personal_confirmed)

    now = timezone.now()
    thread = Thread.objects.create(
        board=board,
        author=actor,
        title=title,
        body=body,
        body_html=markdown.render(body),
        visibility=Visibility.HELD if screening.held else Visibility.PUBLISHED,
        created_at=now,
        last_activity_at=now,
        last_poster=actor,
    )
    thread.screening = screening
    moderation.post_flag(content=thread, screening=screening)
    if names:
        thread.tags.add(*names)
    Board.objects.filter(pk=board.pk).update(thread_count=F("thread_count") + 1)
    _follow(actor, thread)
    equality_snapshot_take(user=actor, programme_id=board.programme_id, when=now)
    notifications.thread_posted(thread=thread)
    pagetags.thread_activity(thread)
    return thread


@transaction.atomic
def comment_post(
    *,
    actor,
    thread: Thread,
    body: str,
    parent: Comment | None = None,
    personal_confirmed: bool = False,
    official: bool = False,
    offline_marker: str = "",
) -> Comment:
    """Reply to the thread, or to a comment in it.

    Replies deeper than three levels attach to the third, beside the comment they answer, and
    record whom they answer, so threads stay readable on a phone. A held reply waits for a
    moderator and does not count as activity until it is approved.

    `official` posts the reply on behalf of a team; who may, and what follows, is the policy set in
    `hooks.official_replies` (the partnership's official responses).

    `offline_marker` places words said offline, transcribed by partnership staff, shown with the
    marker instead of an author; a batch of postcards is not held to a person's posting rate.
    """
    _require_posting(actor, "forums.add_comment", "Confirm your email address before replying.")
    if offline_marker:
        _require(actor, "forums.post_offline_contribution", message="Only partnership staff can place offline words.")
    if official and not hooks.official_replies.allowed(actor):
        raise PermissionDenied("Only partnership staff can post an official response.")
    programme_id = None if official else _programme_id(thread)
    # Locked for the counters; its board and programme come along for the notifications and page tags.
    thread = (
        Thread.objects.select_for_update(of=("self",)).select_related("board__programme").defer("search_vector")
        .get(pk=thread.pk)
    )  # fmt: skip
    if thread.visibility != Visibility.PUBLISHED and not sees_pending(actor, programme_of(thread)):
        raise ValidationError("This discussion is not open for replies.", code="not_published")
    if thread.is_locked and not actor.has_perm("forums.reply_when_locked", thread):
        raise ValidationError("This discussion is locked, so no new replies can be added.", code="locked")
    body = _clean_body(body)

    depth, root, in_reply_to = 1, None, None
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError("That comment is not in this discussion.", code="wrong_thread")
        if parent.is_deleted or parent.visibility == Visibility.REMOVED:
            raise ValidationError("That comment has been deleted, so you cannot reply to it.", code="parent_gone")
        if parent.visibility != Visibility.PUBLISHED and not actor.is_moderator:
            # Held or hidden: as missing as a comment that does not exist, and its author is not told.
            raise ValidationError("That comment is not in this discussion.", code="wrong_thread")
        root = parent.root or parent
        if parent.depth >= Comment.MAX_DEPTH:
            in_reply_to = parent.author if parent.author_id != actor.pk else None
            parent = parent.parent
            depth = Comment.MAX_DEPTH
        else:
            depth = parent.depth + 1
    if not offline_marker:
        _check_posting(actor, body)
    screening = moderation.post_screen(actor=actor, text=body, personal_confirmed=personal_confirmed)

    now = timezone.now()
    comment = Comment.objects.create(
        thread=thread,
        author=actor,
        parent=parent,
        root=root,
        depth=depth,
        in_reply_to=in_reply_to,
        body=body,
        body_html=markdown.render(body),
        visibility=Visibility.HELD if screening.held else Visibility.PUBLISHED,
        is_official=official,
        offline_marker=offline_marker,
        created_at=now,
    )
    comment.screening = screening
    counters = {"top_level_count": F("top_level_count") + (1 if depth == 1 else 0)}
    if not screening.held:
        counters.update(reply_count=F("reply_count") + 1, last_activity_at=now, last_poster=actor)
    Thread.objects.filter(pk=thread.pk).update(**counters)
    if official and not screening.held:
        hooks.official_replies.posted(thread=thread, comment=comment, when=now)
    moderation.post_flag(content=comment, screening=screening)
    _follow(actor, thread)
    if programme_id is not None:
        equality_snapshot_take(user=actor, programme_id=programme_id, when=now)
    notifications.comment_posted(comment=comment, official=official, thread=thread)
    if official:  # an official response also changes the discussion's status on every listing
        pagetags.thread_changed(thread, people=[actor.pk])
    else:
        pagetags.thread_activity(thread)
    return comment


def _programme_id(thread: Thread) -> int:
    if Thread.board.is_cached(thread):
        return thread.board.programme_id
    return Board.objects.values_list("programme_id", flat=True).get(pk=thread.board_id)


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str, personal_confirmed: bool = False) -> Comment:
    """An author's edit meets the same link cap and screening as a new post, so nothing a post may not
    carry can be edited in later; an edit that must be checked waits for a moderator. Moderators
    edit through `moderation.services.content_edit`, with a reason and an audit entry."""
    if comment.is_deleted:
        raise ValidationError("A deleted comment cannot be edited.", code="deleted")
    message = f"Comments can only be edited by their author within {settings.FORUMS_EDIT_WINDOW_MINUTES} minutes."
    _require_author(actor, comment, message)
    _require(actor, "forums.change_comment", comment, message=message)
    body = _clean_body(body)
    if body == comment.body:
        return comment
    text.check_links(actor, body)
    screening = moderation.post_screen(actor=actor, text=body, personal_confirmed=personal_confirmed, editing=True)
    CommentRevision.objects.create(comment=comment, body=comment.body, edited_by=actor)
    comment.body, comment.body_html, comment.edited_at = body, markdown.render(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    comment.screening = screening
    notifications.content_revised(content=comment)
    moderation.post_flag(content=comment, screening=screening)
    notifications.comment_edited(comment=comment)
    pagetags.thread_changed(comment.thread, people=[comment.author_id])
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> Comment:
    """The author's words go; the comment stays as "deleted by its author" so replies keep context.
    Moderators remove posts through the moderation services instead, which keep the text for appeal."""
    _require_author(actor, comment, "You can only delete your own comments.")
    _require(actor, "forums.delete_comment", comment, message="You can only delete your own comments.")
    if comment.is_deleted:
        return comment
    was_published = comment.visibility == Visibility.PUBLISHED
    comment.is_deleted, comment.body, comment.body_html = True, "", ""
    comment.save(update_fields=["is_deleted", "body", "body_html"])
    comment.revisions.all().delete()
    moderation.items_close_for_deleted(content=comment)
    notifications.content_taken_down(content=comment)
    if was_published:
        Thread.objects.filter(pk=comment.thread_id).update(reply_count=F("reply_count") - 1)
    pagetags.thread_changed(comment.thread, people=[comment.author_id])
    return comment


def _toggle_like(*, actor, obj, like_model, field: str, counted_model) -> tuple[bool, int]:
    _require_posting(actor, "forums.like", "Confirm your email address before liking posts.")
    if obj.author_id == actor.pk:
        raise ValidationError("You cannot like your own post.", code="own_post")
    removed, _ = like_model.objects.filter(user=actor, **{field: obj}).delete()
    if removed:
        delta, liked = -1, False
    else:
        try:
            with transaction.atomic():
                like_model.objects.create(user=actor, **{field: obj})
        except IntegrityError:
            return True, counted_model.objects.get(pk=obj.pk).like_count
        delta, liked = 1, True
    counted_model.objects.filter(pk=obj.pk).update(like_count=F("like_count") + delta)
    pagetags.thread_activity(obj if isinstance(obj, Thread) else obj.thread)
    return liked, counted_model.objects.values_list("like_count", flat=True).get(pk=obj.pk)


@transaction.atomic
def thread_like_toggle(*, actor, thread: Thread) -> tuple[bool, int]:
    """Like the thread, or take the like back. Returns (liked now, like count)."""
    return _toggle_like(actor=actor, obj=thread, like_model=ThreadLike, field="thread", counted_model=Thread)


@transaction.atomic
def comment_like_toggle(*, actor, comment: Comment) -> tuple[bool, int]:
    if comment.is_deleted:
        raise ValidationError("A deleted comment cannot be liked.", code="deleted")
    return _toggle_like(actor=actor, obj=comment, like_model=CommentLike, field="comment", counted_model=Comment)


@transaction.atomic
def thread_follow_set(*, actor, thread: Thread, follow: bool) -> bool:
    _require(actor, "forums.follow_thread", message="Confirm your email address to follow discussions.")
    if follow:
        _follow(actor, thread)
    else:
        ThreadFollow.objects.filter(user=actor, thread=thread).delete()
    return follow

