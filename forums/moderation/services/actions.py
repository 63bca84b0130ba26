"""Moderator actions on queue items and content: dismiss, approve, hide, remove, edit, lock, pin, move."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import notifications
from talkhealth import markdown, pagecache

from ... import notifications as forum_notifications
from ... import pagetags
from ...models import Board, Comment, CommentRevision, Thread, Visibility
from .. import notices
from ..models import FlaggedItem, ModerationAction, Report
from ._common import (
    Kind,
    _thread_of,
    _programme_id,
    _require_moderator,
    _require_reason,
    _state,
    _log,
    _set_visibility,
    _lock_item,
    _resolve,
)


@transaction.atomic
def item_dismiss(*, actor, item: FlaggedItem, reason: str) -> ModerationAction:
    """Keep the content: reports are dismissed and anything hidden by reports comes back."""
    item = _lock_item(item, actor)
    reason = _require_reason(reason)
    content = item.target
    before = _state(content)
    if content.visibility == Visibility.HIDDEN or (item.held and content.visibility == Visibility.HELD):
        _set_visibility(content, Visibility.PUBLISHED)
    reporters = _resolve(item, actor, Report.Status.DISMISSED)
    action = _log(actor=actor, kind=Kind.DISMISS, item=item, content=content, reason=reason,
                  before=before, after=_state(content))
    notices.reporters_told(reporter_ids=reporters, action=action)
    return action


@transaction.atomic
@notifications.unread_counts_together()  # the author, the reporters, the followers
def item_approve(*, actor, item: FlaggedItem, reason: str = "") -> ModerationAction:
    """Publish a held post. A note is optional: the author is told their post is approved."""
    item = _lock_item(item, actor)
    reason = (reason or "").strip() or "Approved: the post keeps to the house rules."
    content = item.target
    before = _state(content)
    _set_visibility(content, Visibility.PUBLISHED)
    if isinstance(content, Comment):
        Thread.objects.filter(pk=content.thread_id).update(last_activity_at=timezone.now(), last_poster=content.author)
    reporters = _resolve(item, actor, Report.Status.DISMISSED)
    action = _log(actor=actor, kind=Kind.APPROVE, item=item, content=content, reason=reason,
                  before=before, after=_state(content))
    notices.author_told(action=action)
    notices.reporters_told(reporter_ids=reporters, action=action)
    if isinstance(content, Comment):
        forum_notifications.comment_posted(comment=content)
    else:
        forum_notifications.thread_posted(thread=content)
    return action


def _take_down(*, actor, item, reason, house_rule, visibility, kind) -> ModerationAction:
    item = _lock_item(item, actor)
    reason = _require_reason(reason)
    content = item.target
    before = _state(content)
    _set_visibility(content, visibility)
    reporters = _resolve(item, actor, Report.Status.UPHELD)
    action = _log(actor=actor, kind=kind, item=item, content=content, reason=reason, house_rule=house_rule,
                  before=before, after=_state(content))
    notices.author_told(action=action)
    notices.reporters_told(reporter_ids=reporters, action=action)
    return action


@transaction.atomic
@notifications.unread_counts_together()  # the author and the reporters
def item_hide(*, actor, item: FlaggedItem, reason: str, house_rule: str = "") -> ModerationAction:
    return _take_down(actor=actor, item=item, reason=reason, house_rule=house_rule,
                      visibility=Visibility.HIDDEN, kind=Kind.HIDE)


@transaction.atomic
@notifications.unread_counts_together()  # the author and the reporters
def item_remove(*, actor, item: FlaggedItem, reason: str, house_rule: str = "") -> ModerationAction:
    return _take_down(actor=actor, item=item, reason=reason, house_rule=house_rule,
                      visibility=Visibility.REMOVED, kind=Kind.REMOVE)


@transaction.atomic
@notifications.unread_counts_together()  # every item's
def items_bulk(*, actor, items: list[FlaggedItem], action: str, reason: str, house_rule: str = "") -> int:
    """Approve, dismiss or hide many items with one reason (optional to approve). Items another
    moderator resolved meanwhile are skipped."""
    if action != "approve":
        reason = _require_reason(reason)
    done = 0
    for item in items:
        try:
            with transaction.atomic():
                if action == "approve":
                    item_approve(actor=actor, item=item, reason=reason)
                elif action == "dismiss":
                    item_dismiss(actor=actor, item=item, reason=reason)
                elif action == "hide":
                    item_hide(actor=actor, item=item, reason=reason, house_rule=house_rule)
                else:
                    raise ValidationError("Choose approve, dismiss or hide.", code="bulk_action")
                done += 1
        except ValidationError as error:
            if error.code != "resolved":
                raise
    return done


@transaction.atomic
def content_edit(*, actor, content, body: str, reason: str, title: str | None = None) -> ModerationAction:
    """A moderator's edit with a note; the original text is kept in the revision history and the log."""
    _require_moderator(actor, _programme_id(content))
    reason = _require_reason(reason)
    body = (body or "").strip()
    if not body:
        raise ValidationError("The edited text cannot be empty. Remove the post instead.", code="empty")
    before = _state(content)
    if isinstance(content, Comment):
        CommentRevision.objects.create(comment=content, body=content.body, edited_by=actor)
    content.body, content.body_html, content.edited_at = body, markdown.render(body), timezone.now()
    fields = ["body", "body_html", "edited_at"]
    if title is not None and isinstance(content, Thread):
        content.title = " ".join(title.split())[:150] or content.title
        fields.append("title")
    content.save(update_fields=fields)
    forum_notifications.content_revised(content=content)
    pagetags.thread_changed(_thread_of(content), people=[content.author_id])
    action = _log(actor=actor, kind=Kind.EDIT, content=content, reason=reason, before=before, after=_state(content))
    notices.author_told(action=action)
    return action


@transaction.atomic
def thread_lock_set(*, actor, thread: Thread, locked: bool, reason: str) -> ModerationAction:
    """The one way to lock or unlock a discussion: in scope, with a reason, in the audit log."""
    _require_moderator(actor, _programme_id(thread))
    reason = _require_reason(reason)
    before = _state(thread)
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
    thread.is_locked = locked
    pagetags.thread_changed(thread)
    return _log(actor=actor, kind=Kind.LOCK if locked else Kind.UNLOCK, content=thread, reason=reason,
                before=before, after=_state(thread))


@transaction.atomic
def thread_pin_set(*, actor, thread: Thread, pinned: bool, reason: str) -> ModerationAction:
    """Pin a discussion to the top of its board, or unpin it: in scope, with a reason, in the audit log."""
    _require_moderator(actor, _programme_id(thread))
    reason = _require_reason(reason)
    before = {"is_pinned": thread.is_pinned}
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)
    thread.is_pinned = pinned
    pagetags.thread_changed(thread)
    return _log(actor=actor, kind=Kind.PIN if pinned else Kind.UNPIN, content=thread, reason=reason,
                before=before, after={"is_pinned": pinned})


@transaction.atomic
def thread_move(*, actor, thread: Thread, board: Board, reason: str) -> ModerationAction:
    _require_moderator(actor, _programme_id(thread))
    _require_moderator(actor, board.programme_id)
    reason = _require_reason(reason)
    if board.pk == thread.board_id:
        raise ValidationError("The discussion is already in that board.", code="same_board")
    before = _state(thread)
    Board.objects.filter(pk=thread.board_id).update(thread_count=F("thread_count") - 1)
    Board.objects.filter(pk=board.pk).update(thread_count=F("thread_count") + 1)
    pagecache.invalidate_on_commit(*pagetags.board_tags(thread.board_id))
    Thread.objects.filter(pk=thread.pk).update(board=board)
    thread.board = board
    FlaggedItem.objects.filter(thread=thread, status=FlaggedItem.Status.PENDING).update(programme_id=board.programme_id)
    pagetags.thread_changed(thread)
    action = _log(actor=actor, kind=Kind.MOVE, content=thread, reason=reason, before=before, after=_state(thread))
    notices.author_told(action=action)
    return action
