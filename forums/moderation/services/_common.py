"""Shared by the moderation services: scope and reason checks, the audit log, visibility and queue items."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from ... import notifications as forum_notifications
from ... import pagetags
from ...models import Board, Comment, Thread, UnderReview, Visibility
from .. import safeguarding
from ..models import FlaggedItem, ModerationAction, Report


Kind = ModerationAction.Kind
APPEALABLE = {Kind.HIDE, Kind.REMOVE, Kind.EDIT, Kind.WARN, Kind.SUSPEND, Kind.BAN}


def content_key(content) -> str:
    return f"{'comment' if isinstance(content, Comment) else 'thread'}:{content.pk}"


def _thread_of(content) -> Thread:
    return content.thread if isinstance(content, Comment) else content


def _programme_id(content) -> int:
    return Board.objects.values_list("programme_id", flat=True).get(pk=_thread_of(content).board_id)


def _require_moderator(actor, programme_id) -> None:
    if not actor.has_perm("forums.moderate_programme", programme_id):
        raise PermissionDenied("You do not moderate this programme.")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Enter a reason: it is recorded and shown to the author.", code="reason_required")
    return reason


def _state(content) -> dict:
    state = {"visibility": content.visibility, "body": content.body}
    if isinstance(content, Thread):
        state.update(title=content.title, is_locked=content.is_locked, board=content.board_id)
    return state


def _log(*, actor, kind, reason, content=None, item=None, subject=None, house_rule="", before=None, after=None):
    return ModerationAction.objects.create(
        actor=actor,
        kind=kind,
        item=item,
        content_key=content_key(content) if content is not None else "",
        thread=_thread_of(content) if content is not None else None,
        comment=content if isinstance(content, Comment) else None,
        programme_id=_programme_id(content) if content is not None else (item.programme_id if item else None),
        subject=subject or (content.author if content is not None else None),
        reason=reason,
        house_rule=house_rule or "",
        before=before or {},
        after=after or {},
    )



def _pending_item(content, *, priority) -> FlaggedItem:
    key = content_key(content)
    item = FlaggedItem.objects.select_for_update().filter(content_key=key, status=FlaggedItem.Status.PENDING).first()
    if item is None:
        item = FlaggedItem.objects.create(
            thread=_thread_of(content),
            comment=content if isinstance(content, Comment) else None,
            programme_id=_programme_id(content),
            content_key=key,
            priority=priority,
        )
    elif priority < item.priority:
        item.priority = priority
        item.save(update_fields=["priority"])
    return item


def _set_under_review(content, state: str) -> None:
    """Mark why the post waits for a first look; crisis language is never downgraded to reports."""
    if state == UnderReview.REPORTS and content.under_review == UnderReview.CRISIS:
        return
    content.under_review = state
    type(content).objects.filter(pk=content.pk).update(under_review=state)
    pagetags.thread_changed(_thread_of(content))



def _set_visibility(content, visibility: str) -> None:
    """Change visibility and keep the thread's published-reply counter right."""
    was_published = content.visibility == Visibility.PUBLISHED
    content.visibility = visibility
    type(content).objects.filter(pk=content.pk).update(visibility=visibility)
    if was_published and visibility != Visibility.PUBLISHED:
        forum_notifications.content_taken_down(content=content)
    if isinstance(content, Comment) and not content.is_deleted:
        now_published = visibility == Visibility.PUBLISHED
        if was_published != now_published:
            Thread.objects.filter(pk=content.thread_id).update(
                reply_count=F("reply_count") + (1 if now_published else -1)
            )
    pagetags.thread_changed(_thread_of(content), people=[content.author_id])



def _lock_item(item: FlaggedItem, actor) -> FlaggedItem:
    item = FlaggedItem.objects.select_for_update(of=("self",)).select_related("thread", "comment").get(pk=item.pk)
    _require_moderator(actor, item.programme_id)
    if item.status != FlaggedItem.Status.PENDING:
        raise ValidationError("Another moderator has already dealt with this item.", code="resolved")
    return item


def _resolve(item: FlaggedItem, actor, report_status: str) -> list[int]:
    """Close the item: its reports get `report_status` and the post no longer waits for review."""
    now = timezone.now()
    if item.target.under_review:
        _set_under_review(item.target, UnderReview.NO)
    safeguarding.item_looked_at(item)
    reporter_ids = list(item.reports.filter(status=Report.Status.OPEN).values_list("reporter_id", flat=True))
    item.reports.filter(status=Report.Status.OPEN).update(status=report_status, resolved_at=now)
    item.status, item.resolved_at, item.resolved_by = FlaggedItem.Status.RESOLVED, now, actor
    item.save(update_fields=["status", "resolved_at", "resolved_by"])
    return reporter_ids
