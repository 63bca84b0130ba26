"""Discussions' part of "Download my data" and "Delete my account" (see accounts.privacy)."""

from django.db.models import Count, Exists, F, OuterRef, Value
from django.db.models.functions import Replace

from accounts.models import Notification, NotificationFanOut
from accounts.names import DELETED_NAME
from accounts.privacy import when

from . import hooks, notifications, pagetags
from .models import (
    Appeal,
    Board,
    Comment,
    CommentLike,
    CommentRevision,
    ModerationAction,
    ModeratorScope,
    Report,
    Sanction,
    Thread,
    ThreadFollow,
    ThreadLike,
    Visibility,
)

DELETED_TITLE = "Deleted discussion"


def _title(thread, user) -> str:
    """Someone else's discussion that has been taken down is named by no copy, exports included."""
    if thread.visibility == Visibility.PUBLISHED or thread.author_id == user.pk:
        return thread.title
    return notifications.TAKEN_DOWN_TOPIC


def export(user) -> dict:
    threads = Thread.objects.filter(author=user).select_related("board__programme").prefetch_related("tags")
    comments = Comment.objects.filter(author=user).select_related("thread").prefetch_related("revisions")
    thread_likes = ThreadLike.objects.filter(user=user).select_related("thread").order_by("created_at", "pk")
    comment_likes = CommentLike.objects.filter(user=user).select_related("comment").order_by("created_at", "pk")
    return {
        "threads.json": [
            {
                "id": thread.pk,
                "title": thread.title,
                "text": thread.body,
                "status": thread.get_visibility_display(),
                "programme": thread.board.programme.short_name,
                "board": thread.board.name,
                "tags": sorted(tag.name for tag in thread.tags.all()),
                "posted": when(thread.created_at),
                "edited": when(thread.edited_at),
                "link": thread.get_absolute_url(),
            }
            for thread in threads.order_by("created_at", "pk")
        ],
        "comments.json": [
            {
                "id": comment.pk,
                "discussion": _title(comment.thread, user),
                "text": comment.body,
                "status": "Deleted by you" if comment.is_deleted else comment.get_visibility_display(),
                "posted": when(comment.created_at),
                "edited": when(comment.edited_at),
                "earlier_versions": [revision.body for revision in comment.revisions.all()],
                "link": comment.get_absolute_url(),
            }
            for comment in comments.order_by("created_at", "pk")
        ],
        "likes.json": {
            "discussions": [
                {
                    "discussion": _title(like.thread, user),
                    "liked": when(like.created_at),
                    "link": like.thread.get_absolute_url(),
                }
                for like in thread_likes
            ],
            "comments": [
                {"comment": like.comment_id, "liked": when(like.created_at), "link": like.comment.get_absolute_url()}
                for like in comment_likes
            ],
        },
        "follows.json": {
            "discussions": [
                {"discussion": _title(follow.thread, user), "since": when(follow.created_at)}
                for follow in ThreadFollow.objects.filter(user=user).select_related("thread").order_by("created_at")
            ],
        },
        "reports.json": [
            {
                "about": report.content_key,
                "reason": report.get_reason_display(),
                "details": report.details,
                "outcome": report.get_status_display(),
                "made": when(report.created_at),
            }
            for report in Report.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
        "moderation.json": {
            "actions_about_you": [
                {
                    "action": action.get_kind_display(),
                    "about": action.content_key,
                    "reason": action.reason,
                    "house_rule": action.get_house_rule_display(),
                    "when": when(action.created_at),
                }
                for action in ModerationAction.objects.filter(subject=user).order_by("created_at", "pk")
            ],
            "sanctions": [
                {
                    "sanction": sanction.get_kind_display(),
                    "until": when(sanction.until),
                    "reason": sanction.reason,
                    "lifted": when(sanction.lifted_at),
                    "when": when(sanction.created_at),
                }
                for sanction in Sanction.objects.filter(user=user).order_by("created_at", "pk")
            ],
            "your_appeals": [
                {
                    "appeal": appeal.text,
                    "outcome": appeal.get_status_display(),
                    "reason": appeal.decision_reason,
                    "made": when(appeal.created_at),
                    "decided": when(appeal.decided_at),
                }
                for appeal in Appeal.objects.filter(appellant=user).order_by("created_at", "pk")
            ],
        },
    }


def erase(*, user, erase_posts: bool) -> None:
    """Likes (their counts fall), follows, report details, appeals and moderator scopes go, and
    moderators' notes lose the person's name. With `erase_posts`, their comments become "Comment
    deleted" placeholders and their threads go, or, where others have replied, stay as an empty
    "Deleted discussion" so the replies keep their place; copies of the words in the moderation
    log are blanked too."""
    _likes_erase(user)
    ThreadFollow.objects.filter(user=user).delete()
    ModeratorScope.objects.filter(moderator=user).delete()
    Report.objects.filter(reporter=user).update(details="")
    Appeal.objects.filter(appellant=user, status=Appeal.Status.PENDING).delete()
    Appeal.objects.filter(appellant=user).update(text="")
    renamed = Replace(F("reason"), Value(user.display_name), Value(DELETED_NAME))
    ModerationAction.objects.filter(subject=user).update(reason=renamed)
    Sanction.objects.filter(user=user).update(reason=renamed)
    if erase_posts:
        _posts_erase(user)


def _likes_erase(user) -> None:
    for like_model, counted, field in ((ThreadLike, Thread, "thread"), (CommentLike, Comment, "comment")):
        liked = like_model.objects.filter(user=user)
        counted.objects.filter(pk__in=liked.values(field)).update(like_count=F("like_count") - 1)
        liked.delete()


def _posts_erase(user) -> None:
    comments = Comment.objects.filter(author=user, is_deleted=False)
    published = comments.filter(visibility=Visibility.PUBLISHED).values("thread").annotate(n=Count("pk"))
    for row in published.order_by():
        Thread.objects.filter(pk=row["thread"]).update(reply_count=F("reply_count") - row["n"])
    CommentRevision.objects.filter(comment__author=user).delete()
    hooks.words_taken_down([f"comment:{pk}" for pk in comments.values_list("pk", flat=True)])
    comments.update(is_deleted=True, body="", body_html="")

    threads = Thread.objects.filter(author=user)
    for thread in threads.only("id", "title"):
        notifications.content_taken_down(content=thread)
    others_replied = Exists(Comment.objects.filter(thread=OuterRef("pk")).exclude(author=user))
    lonely = threads.exclude(others_replied)
    for board_id, count in lonely.values_list("board").annotate(n=Count("pk")).order_by():
        Board.objects.filter(pk=board_id).update(thread_count=F("thread_count") - count)
    lonely.delete()
    threads.update(title=DELETED_TITLE, body="", body_html="", is_locked=True)

    for action in ModerationAction.objects.filter(subject=user).exclude(before={}, after={}):
        ModerationAction.objects.filter(pk=action.pk).update(
            before=_blanked(action.before), after=_blanked(action.after)
        )


def _blanked(state: dict) -> dict:
    return {key: "" if key in {"body", "title"} else value for key, value in (state or {}).items()}


def pages_showing(user) -> set[str]:
    """Page-cache tags of the pages that show the person's name (accounts.privacy.page_tags)."""
    return pagetags.person_tags(user)


def comment_words_erase(*, comment_id: int) -> None:
    """Take a comment's words out of every table (its text, earlier versions, copies in
    notifications and the moderation log) and leave a "Comment deleted" placeholder, so replies
    keep their place. Used when the person whose words they were withdraws consent."""
    comment = Comment.objects.filter(pk=comment_id, is_deleted=False).first()
    if comment is None:
        return
    if comment.visibility == Visibility.PUBLISHED:
        Thread.objects.filter(pk=comment.thread_id).update(reply_count=F("reply_count") - 1)
    CommentRevision.objects.filter(comment_id=comment_id).delete()
    hooks.words_taken_down([f"comment:{comment_id}"])
    Comment.objects.filter(pk=comment_id).update(is_deleted=True, body="", body_html="", search_vector=None)
    for copies in (Notification, NotificationFanOut):
        copies.objects.filter(event_key=f"forums.comment:{comment_id}").update(excerpt="")
    for action in ModerationAction.objects.filter(content_key=f"comment:{comment_id}").exclude(before={}, after={}):
        ModerationAction.objects.filter(pk=action.pk).update(
            before=_blanked(action.before), after=_blanked(action.after)
        )
