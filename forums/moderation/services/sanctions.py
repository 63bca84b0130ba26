"""Sanctions on people: warnings, suspensions and bans, each with a reason and an audit entry."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import notifications

from .. import notices
from ..models import FlaggedItem, Report, Sanction
from ._common import Kind, content_key, _programme_id, _require_reason, _log, _lock_item, _resolve


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
@notifications.unread_counts_together()  # the person warned and the reporters
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
