"""Moderation writes: screening new posts, reports, moderator actions, sanctions and appeals.

Each action needs a reason, is checked against the moderator's scope, and is written to the
audit log with the content's state before and after.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from talkhealth import markdown, pagecache

from .. import notifications as forum_notifications
from .. import pagetags
from ..models import Board, Comment, CommentRevision, Thread, UnderReview, Visibility
from . import notices, safeguarding, safety
from .models import (
    Appeal,
    FlaggedItem,
    ModerationAction,
    ModerationConfig,
    Priority,
    Report,
    ReportReason,
    Sanction,
)

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


# Screening new posts ---------------------------------------------------------------------------


@dataclass
class Screening:
    held: bool = False
    hold_reasons: list[str] = field(default_factory=list)
    crisis: bool = False


def post_screen(*, actor, text: str, personal_confirmed: bool = False, editing: bool = False) -> Screening:
    """Decide whether a post may go straight up, must wait for a moderator, or is refused.

    Personal information makes the person think again first; if they post anyway it waits for a
    moderator. A new account's first posts, and posts matching the hold list, wait too. An author's
    edit is screened the same way, except that it is not one of their first posts.
    """
    findings = safety.check(text)
    if findings.block_words:
        raise ValidationError(
            "Your post includes words that are not allowed here. Please read the house rules and change it.",
            code="blocked",
        )
    if findings.personal and not personal_confirmed:
        raise ValidationError(
            "Your post seems to include %(found)s. To protect your privacy, please remove it. If you want to post "
            "it anyway, tick the box below and a moderator will check your post before anyone else sees it.",
            code="personal_info",
            params={"found": " and ".join(findings.personal)},
        )
    reasons = []
    if findings.personal:
        reasons.append("May contain " + " and ".join(findings.personal))
    if findings.hold_words:
        reasons.append("Matches the hold list: " + ", ".join(findings.hold_words))
    if not (editing or actor.is_moderator or actor.is_partnership_staff):
        config = ModerationConfig.current()
        posted = Thread.objects.filter(author=actor).count() + Comment.objects.filter(author=actor).count()
        if posted < config.premoderated_posts:
            reasons.append(f"One of a new account's first {config.premoderated_posts} posts")
    return Screening(held=bool(reasons), hold_reasons=reasons, crisis=findings.crisis)


def post_flag(*, content, screening: Screening) -> FlaggedItem | None:
    """Queue a post that is held or uses crisis language; alert moderators about crisis at once.

    A post already waiting in the queue (reported, say) keeps its one item, raised in priority.
    """
    if not (screening.held or screening.crisis):
        return None
    if screening.held and content.visibility == Visibility.PUBLISHED:
        _set_visibility(content, Visibility.HELD)
    item = _pending_item(content, priority=Priority.AT_RISK if screening.crisis else Priority.HELD)
    item.held = item.held or screening.held
    new_reasons = screening.hold_reasons + (["Crisis language"] if screening.crisis else [])
    item.hold_reasons = item.hold_reasons + [r for r in new_reasons if r not in item.hold_reasons]
    item.save(update_fields=["held", "hold_reasons"])
    if screening.crisis:
        _set_under_review(content, UnderReview.CRISIS)
        safeguarding.alert_raise(item=item, reason="Crisis language in a post")
    return item


# Reports ---------------------------------------------------------------------------------------


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


def _report_rate(actor) -> None:
    """A person may file only so many reports in each window, so one account cannot flood the queue."""
    now = timezone.now()
    for seconds, most in settings.MODERATION_REPORT_LIMITS:
        if Report.objects.filter(reporter=actor, created_at__gte=now - timedelta(seconds=seconds)).count() >= most:
            raise ValidationError(
                "You have sent a lot of reports in a short time. Moderators will look at them; "
                "please wait a while before sending more. If someone is in danger, call 999.",
                code="report_rate",
            )


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


@transaction.atomic
def report_file(*, actor, content, reason: str, details: str = "") -> Report:
    """One open report per person per item; enough reports from different people hide it pending review."""
    if not actor.has_perm("forums.report_content"):
        raise PermissionDenied("Confirm your email address before reporting posts.")
    if reason not in ReportReason.values:
        raise ValidationError("Choose why you are reporting this.", code="reason")
    details = (details or "").strip()
    if reason == ReportReason.OTHER and not details:
        raise ValidationError("Tell us what is wrong with this post.", code="details_required")
    if len(details) > 1000:
        raise ValidationError("Keep the details to 1,000 characters or fewer.", code="details_long")
    if content.author_id == actor.pk:
        raise ValidationError("You cannot report your own post. You can edit or delete it instead.", code="own")
    key = content_key(content)
    if Report.objects.filter(reporter=actor, content_key=key, status=Report.Status.OPEN).exists():
        raise ValidationError("You have already reported this. A moderator will look at it.", code="duplicate")
    _report_rate(actor)

    at_risk = reason == ReportReason.AT_RISK
    item = _pending_item(content, priority=Priority.AT_RISK if at_risk else Priority.REPORTED)
    report = Report.objects.create(item=item, reporter=actor, content_key=key, reason=reason, details=details)
    item.open_reports = item.reports.filter(status=Report.Status.OPEN).values("reporter").distinct().count()
    item.save(update_fields=["open_reports"])

    threshold = ModerationConfig.current().report_threshold
    if item.open_reports >= threshold and content.visibility == Visibility.PUBLISHED:
        before = _state(content)
        _set_visibility(content, Visibility.HIDDEN)
        _set_under_review(content, UnderReview.REPORTS)
        _log(
            actor=None, kind=Kind.AUTO_HIDE, item=item, content=content, before=before, after=_state(content),
            reason=f"{item.open_reports} people reported it; hidden until a moderator reviews it.",
        )
    if at_risk:
        safeguarding.alert_raise(item=item, reason="A report says someone may be at risk")
    return report


@transaction.atomic
def item_for(*, actor, content) -> FlaggedItem:
    """The pending queue item for `content`, opened by a moderator who wants to act on it directly."""
    _require_moderator(actor, _programme_id(content))
    return _pending_item(content, priority=Priority.REPORTED)


# Moderator actions on queue items --------------------------------------------------------------


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
def item_hide(*, actor, item: FlaggedItem, reason: str, house_rule: str = "") -> ModerationAction:
    return _take_down(actor=actor, item=item, reason=reason, house_rule=house_rule,
                      visibility=Visibility.HIDDEN, kind=Kind.HIDE)


@transaction.atomic
def item_remove(*, actor, item: FlaggedItem, reason: str, house_rule: str = "") -> ModerationAction:
    return _take_down(actor=actor, item=item, reason=reason, house_rule=house_rule,
                      visibility=Visibility.REMOVED, kind=Kind.REMOVE)


@transaction.atomic
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


# Sanctions -------------------------------------------------------------------------------------


def _sanction(*, actor, user, kind, reason, house_rule, until=None, content=None, log_kind) -> Sanction:
    if not actor.has_perm("forums.moderate_programme", _programme_id(content) if content else None):
        raise PermissionDenied("You do not moderate this programme.")
    if user.pk == actor.pk:
        raise ValidationError("You cannot take action against yourself.", code="self")
    if user.is_superuser or user.is_moderator or user.is_partnership_staff:
        raise ValidationError("Moderators and staff are managed by administrators.", code="protected")
    reason = _require_reason(reason)
    action = _log(actor=actor, kind=log_kind, content=content, subject=user, reason=reason, house_rule=house_rule,
                  after={"until": until.isoformat() if until else None})
    sanction = Sanction.objects.create(user=user, kind=kind, until=until, reason=reason,
                                       house_rule=house_rule or "", action=action)
    notices.author_told(action=action)
    return sanction


@transaction.atomic
def user_warn(*, actor, user, reason: str, house_rule: str = "", content=None, item: FlaggedItem | None = None) -> Sanction:
    """A warning is a decision: the queue item it was given from closes, its reports upheld."""
    sanction = _sanction(actor=actor, user=user, kind=Sanction.Kind.WARNING, reason=reason, house_rule=house_rule,
                         content=content, log_kind=Kind.WARN)
    if item is not None:
        item = _lock_item(item, actor)
        notices.reporters_told(reporter_ids=_resolve(item, actor, Report.Status.UPHELD), action=sanction.action)
    return sanction


def items_close_for_deleted(*, content) -> None:
    """The author deleted the post: nothing is left to review, so its pending item closes."""
    for item in FlaggedItem.objects.select_for_update().filter(content_key=content_key(content),
                                                               status=FlaggedItem.Status.PENDING):
        _resolve(item, None, Report.Status.DISMISSED)


@transaction.atomic
def user_suspend(*, actor, user, days: int, reason: str, house_rule: str = "", content=None) -> Sanction:
    if not 1 <= int(days) <= 365:
        raise ValidationError("Suspend for between 1 and 365 days.", code="days")
    return _sanction(actor=actor, user=user, kind=Sanction.Kind.SUSPENSION, reason=reason, house_rule=house_rule,
                     until=timezone.now() + timedelta(days=int(days)), content=content, log_kind=Kind.SUSPEND)


@transaction.atomic
def user_ban(*, actor, user, reason: str, house_rule: str = "", content=None) -> Sanction:
    sanction = _sanction(actor=actor, user=user, kind=Sanction.Kind.BAN, reason=reason, house_rule=house_rule,
                         content=content, log_kind=Kind.BAN)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    return sanction


# Appeals ---------------------------------------------------------------------------------------


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
