"""Safeguarding: acting for someone who may be at risk, alerting moderators, escalating to leads.

What is done for the person (a supportive message, a referral, an escalation) goes in the
safeguarding log, apart from the moderation audit log and read only by safeguarding leads. Alerts
about at-risk items are rows (an outbox): a task emails each moderator at most once every
SAFETY_ALERT_INTERVAL_MINUTES, listing every unsent alert, so a flood of reports from one account
cannot flood the moderators and no alert is dropped.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import notifications
from talkhealth import outbox, signposting

from . import notices
from .models import FlaggedItem, ModerationConfig, Priority, SafeguardingEntry, SafetyAlert


def item_looked_at(item: FlaggedItem) -> None:
    """The first time a moderator acts on an item; an at-risk item without one is escalated."""
    FlaggedItem.objects.filter(pk=item.pk, first_looked_at=None).update(first_looked_at=timezone.now())


def _require_at_risk_item(actor, item: FlaggedItem) -> FlaggedItem:
    item = FlaggedItem.objects.select_related("thread", "comment", "thread__author", "comment__author").get(pk=item.pk)
    if not actor.has_perm("forums.moderate_programme", item.programme_id):
        raise PermissionDenied("You do not moderate this programme.")
    return item


def supportive_message_draft(*, item: FlaggedItem) -> str:
    """The editable template (moderation settings in admin), addressed to the post's author."""
    author = item.target.author
    return ModerationConfig.current().supportive_message.replace("{name}", author.display_name)


@transaction.atomic
def person_support(*, actor, item: FlaggedItem, message: str) -> SafeguardingEntry:
    """Send the author a private supportive message; the urgent help numbers always follow it."""
    item = _require_at_risk_item(actor, item)
    message = (message or "").strip()
    if not message:
        raise ValidationError("Write the message to send.", code="message_required")
    if len(message) > 3000:
        raise ValidationError("Keep the message to 3,000 characters or fewer.", code="message_long")
    author = item.target.author
    entry = SafeguardingEntry.objects.create(
        kind=SafeguardingEntry.Kind.MESSAGE, item=item, content_key=item.content_key, programme_id=item.programme_id,
        subject=author, actor=actor, text=message,
    )
    notifications.notification_create(
        recipient=author,
        category=notifications.Category.MODERATION,
        title="A message from the Talk Health moderators",
        event=notifications.Event(
            key=f"forums.safeguarding:{entry.pk}", url=item.target.get_absolute_url(), actor=actor,
            excerpt=f"{message}\n\n{signposting.TEXT}",
        ),
    )
    item_looked_at(item)
    return entry


@transaction.atomic
def referral_record(
    *, actor, item: FlaggedItem, referred_to: str, reference: str = "", referred_at: datetime | None = None, note: str = ""
) -> SafeguardingEntry:
    """Record that the person was referred under the safeguarding procedure: to whom, reference, when, by whom."""
    item = _require_at_risk_item(actor, item)
    referred_to = " ".join((referred_to or "").split())
    if not referred_to:
        raise ValidationError("Say who the referral was made to.", code="referred_to_required")
    referred_at = referred_at or timezone.now()
    if referred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError("The referral time cannot be in the future.", code="future")
    entry = SafeguardingEntry.objects.create(
        kind=SafeguardingEntry.Kind.REFERRAL, item=item, content_key=item.content_key, programme_id=item.programme_id,
        subject=item.target.author, actor=actor, referred_to=referred_to[:200], reference=(reference or "").strip()[:100],
        referred_at=referred_at, text=(note or "").strip(),
    )
    item_looked_at(item)
    return entry


# Alerts to moderators --------------------------------------------------------------------------


def alert_raise(*, item: FlaggedItem, reason: str) -> SafetyAlert:
    """Record an at-risk alert in the item's transaction; the sending job (the outbox) runs once it commits."""
    alert = SafetyAlert.objects.create(item=item, reason=reason)
    outbox.job_enqueue("forums.safety_alerts_send")
    return alert


@transaction.atomic
def alerts_send(*, now: datetime | None = None) -> int:
    """Email every moderator one list of the unsent alerts in their programmes, unless alerts went out
    less than SAFETY_ALERT_INTERVAL_MINUTES ago (the beat task tries again each minute). Returns how
    many alerts were sent."""
    now = now or timezone.now()
    unsent = list(
        SafetyAlert.objects.select_for_update().filter(sent_at=None).select_related("item").order_by("created_at", "id")
    )
    if not unsent:
        return 0
    interval = timedelta(minutes=settings.SAFETY_ALERT_INTERVAL_MINUTES)
    if SafetyAlert.objects.filter(sent_at__gt=now - interval).exists():
        return 0
    for moderator, alerts in _by_moderator(unsent):
        notices.moderators_alerted(moderator=moderator, alerts=alerts)
    SafetyAlert.objects.filter(pk__in=[a.pk for a in unsent]).update(sent_at=now)
    return len(unsent)


def _by_moderator(alerts):
    programme_ids = {a.item.programme_id for a in alerts}
    people = {}
    for programme_id in programme_ids:
        for person in notices._moderators_for(programme_id):
            people.setdefault(person.pk, (person, set()))[1].add(programme_id)
    for person, scope in people.values():
        yield person, [a for a in alerts if a.item.programme_id in scope]


# Escalation to safeguarding leads --------------------------------------------------------------


@transaction.atomic
def items_escalate(*, now: datetime | None = None) -> int:
    """Tell safeguarding leads about at-risk items still waiting, with no first look, after
    SAFEGUARDING_ESCALATE_AFTER_MINUTES. Each item is escalated once and logged."""
    now = now or timezone.now()
    due = list(
        FlaggedItem.objects.select_for_update().filter(
            status=FlaggedItem.Status.PENDING, priority=Priority.AT_RISK, first_looked_at=None, escalated_at=None,
            flagged_at__lte=now - timedelta(minutes=settings.SAFEGUARDING_ESCALATE_AFTER_MINUTES),
        ).order_by("flagged_at")
    )
    if not due:
        return 0
    notices.leads_escalated(items=due)
    FlaggedItem.objects.filter(pk__in=[i.pk for i in due]).update(escalated_at=now)
    SafeguardingEntry.objects.bulk_create(
        SafeguardingEntry(kind=SafeguardingEntry.Kind.ESCALATION, item=i, content_key=i.content_key,
                          programme_id=i.programme_id, text=f"Waiting since {i.flagged_at:%Y-%m-%d %H:%M} UTC.")
        for i in due
    )
    return len(due)
