"""Reports from residents, and the queue item a moderator opens to act on a post directly."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ...models import UnderReview, Visibility
from .. import safeguarding
from ..models import FlaggedItem, ModerationConfig, Priority, Report, ReportReason
from ._common import (
    Kind,
    content_key,
    _programme_id,
    _require_moderator,
    _state,
    _log,
    _pending_item,
    _set_under_review,
    _set_visibility,
)


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
