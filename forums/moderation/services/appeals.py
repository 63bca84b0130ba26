"""Appeals: the author asks again, a different moderator upholds or reverses."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from talkhealth import markdown

from ... import pagetags
from ...models import Comment, Thread, Visibility
from .. import notices
from ..models import Appeal, ModerationAction, Sanction
from ._common import Kind, APPEALABLE, _thread_of, _require_moderator, _require_reason, _set_visibility


@transaction.atomic
def appeal_file(*, actor, action: ModerationAction, text: str) -> Appeal:
    if action.subject_id != actor.pk or action.kind not in APPEALABLE:
        raise PermissionDenied("You can only appeal decisions about your own posts or account.")
    text = (text or "").strip()
    if not text:
        raise ValidationError("Tell us why you think the decision was wrong.", code="empty")
    if len(text) > 2000:
        raise ValidationError("Keep your appeal to 2,000 characters or fewer.", code="too_long")
    if Appeal.objects.filter(action=action).exists():
        raise ValidationError("You have already appealed this decision.", code="duplicate")
    appeal = Appeal.objects.create(action=action, appellant=actor, text=text)
    notices.moderators_appeal(appeal=appeal)
    return appeal


def _reverse(action: ModerationAction) -> None:
    if action.kind in (Kind.HIDE, Kind.REMOVE) and (action.comment_id or action.thread_id):
        content = Comment.objects.get(pk=action.comment_id) if action.comment_id else Thread.objects.get(pk=action.thread_id)
        _set_visibility(content, Visibility.PUBLISHED)
    elif action.kind == Kind.EDIT and action.before.get("body"):
        content = Comment.objects.get(pk=action.comment_id) if action.comment_id else Thread.objects.get(pk=action.thread_id)
        content.body = action.before["body"]
        content.body_html = markdown.render(content.body)
        content.save(update_fields=["body", "body_html"])
        pagetags.thread_changed(_thread_of(content), people=[content.author_id])
    elif action.kind in (Kind.WARN, Kind.SUSPEND, Kind.BAN):
        Sanction.objects.filter(action=action).update(lifted_at=timezone.now())
        if action.kind == Kind.BAN:
            type(action.subject).objects.filter(pk=action.subject_id).update(is_active=True)


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, reverse: bool, reason: str) -> ModerationAction:
    """A different moderator upholds or reverses the decision; reversing undoes it."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("action", "action__subject").get(pk=appeal.pk)
    if not actor.has_perm("forums.decide_appeal", appeal):
        raise PermissionDenied("A different moderator must decide this appeal.")
    if appeal.action.programme_id:
        _require_moderator(actor, appeal.action.programme_id)
    elif not actor.has_perm("forums.access_moderation"):
        raise PermissionDenied("Only moderators decide appeals.")
    if appeal.status != Appeal.Status.PENDING:
        raise ValidationError("This appeal has already been decided.", code="decided")
    reason = _require_reason(reason)
    if reverse:
        _reverse(appeal.action)
    appeal.status = Appeal.Status.REVERSED if reverse else Appeal.Status.UPHELD
    appeal.decided_by, appeal.decision_reason, appeal.decided_at = actor, reason, timezone.now()
    appeal.save(update_fields=["status", "decided_by", "decision_reason", "decided_at"])
    original = appeal.action
    action = ModerationAction.objects.create(
        actor=actor, kind=Kind.APPEAL_REVERSED if reverse else Kind.APPEAL_UPHELD, content_key=original.content_key,
        thread_id=original.thread_id, comment_id=original.comment_id, programme_id=original.programme_id,
        subject_id=original.subject_id, reason=reason, before={"appealed_action": original.pk},
    )
    notices.appeal_decided(appeal=appeal, action=action)
    return action
