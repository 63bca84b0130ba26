"""Telling people about moderation. Moderators are emailed at once about urgent items and appeals,
whatever their settings: safety cannot wait for a digest. Authors hear about decisions and how to
appeal, reporters about outcomes and appellants about results through the notification inbox,
emailed as each person chose."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import emails, notifications
from accounts.roles import Role

from .models import ModerationAction

Kind = ModerationAction.Kind
APPEALABLE_KINDS = (Kind.HIDE, Kind.REMOVE, Kind.EDIT, Kind.WARN, Kind.SUSPEND, Kind.BAN)

def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(users, *, subject: str, paragraphs: list[str], link: str = "", link_text: str = "") -> None:
    context = {"subject": subject, "paragraphs": paragraphs, "link": link, "link_text": link_text}
    for user in users:
        if not (user.email_verified and user.is_active):
            continue
        message = EmailMultiAlternatives(
            subject=f"Talk Health: {subject}",
            body=render_to_string("forums/emails/notice.txt", {**context, "user": user}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(render_to_string("forums/emails/notice.html", {**context, "user": user}), "text/html")
        emails.queue(message)


def _moderators_for(programme_id, *, exclude_id=None):
    """Moderators who work in the programme: global ones and those scoped to it."""
    people = get_user_model().objects.filter(groups__name=Role.MODERATOR.group_name, is_active=True).filter(
        Q(moderation_scopes__isnull=True) | Q(moderation_scopes__programme_id=programme_id)
    )
    if exclude_id:
        people = people.exclude(pk=exclude_id)
    return people.distinct()


def moderators_alerted(*, moderator, alerts) -> None:
    """One email listing every new at-risk item in the moderator's programmes (see safeguarding.alerts_send)."""
    lines = [
        f"{a.reason}: {_url(reverse('moderation:item', args=[a.item_id]))} (raised {timezone.localtime(a.created_at):%H:%M})"
        for a in alerts
    ]
    count = len(alerts)
    _send(
        [moderator],
        subject="Urgent: someone may be at risk" + (f" ({count} items)" if count > 1 else ""),
        paragraphs=[
            "Posts or reports on Talk Health suggest someone may be at risk. "
            + ("They are" if count > 1 else "It is") + " at the top of the review queue.",
            *lines,
            "Please review now and follow the safeguarding procedure.",
        ],
        link=_url(reverse("moderation:queue")),
        link_text="Open the review queue",
    )


def _safeguarding_leads():
    return get_user_model().objects.filter(
        Q(groups__name=Role.SAFEGUARDING_LEAD.group_name) | Q(is_superuser=True), is_active=True
    ).distinct()


def leads_escalated(*, items) -> None:
    """Safeguarding leads hear of at-risk items nobody has looked at in time, whatever their settings."""
    minutes = settings.SAFEGUARDING_ESCALATE_AFTER_MINUTES
    _send(
        _safeguarding_leads(),
        subject="Escalation: an at-risk item has waited too long",
        paragraphs=[
            f"These items suggest someone may be at risk and no moderator has acted on them within {minutes} minutes.",
            *[f"{_url(reverse('moderation:item', args=[i.pk]))} (raised {timezone.localtime(i.flagged_at):%d %b %H:%M})"
              for i in items],
            "Please make sure someone reviews them now, following the safeguarding procedure.",
        ],
        link=_url(reverse("moderation:queue")),
        link_text="Open the review queue",
    )


def moderators_appeal(*, appeal) -> None:
    _send(
        _moderators_for(appeal.action.programme_id, exclude_id=appeal.action.actor_id),
        subject="An appeal needs a different moderator",
        paragraphs=["Someone has appealed a moderation decision. It must be decided by a moderator who did not make it."],
        link=_url(reverse("moderation:appeal", args=[appeal.pk])),
        link_text="Review the appeal",
    )


def _what_happened(action) -> str:
    return {
        Kind.HIDE: "A moderator has hidden your post.",
        Kind.REMOVE: "A moderator has removed your post.",
        Kind.EDIT: "A moderator has edited your post.",
        Kind.APPROVE: "A moderator has approved your post. Everyone can now see it.",
        Kind.MOVE: "A moderator has moved your discussion to a different board.",
        Kind.WARN: "A moderator has sent you a warning.",
        Kind.SUSPEND: "A moderator has suspended your posting for a while.",
        Kind.BAN: "A moderator has closed your account.",
    }.get(action.kind, "A moderator has made a decision about your post.")


def author_told(*, action) -> None:
    """The author hears what happened, which house rule, and how to appeal: in their inbox, and by
    email as their notification settings say."""
    if action.subject is None:
        return
    details = [f"Reason: {action.reason}"]
    if action.house_rule:
        details.append(f"House rule: {action.get_house_rule_display()}")
    if action.kind in APPEALABLE_KINDS:
        details.append("If you think this is wrong you can appeal; a different moderator will look at it.")
    notifications.notification_create(
        recipient=action.subject,
        category=notifications.Category.MODERATION,
        title=_what_happened(action),
        event=notifications.Event(
            key=f"forums.moderation:{action.pk}",
            url=reverse("moderation:decision", args=[action.pk]),
            actor=action.actor_id,
            excerpt=" ".join(details),
        ),
    )


def reporters_told(*, reporter_ids, action) -> None:
    if not reporter_ids:
        return
    outcome = (
        "A moderator reviewed the post you reported and decided it does not break the house rules, so it stays."
        if action.kind in (Kind.DISMISS, Kind.APPROVE)
        else "A moderator reviewed the post you reported and took action. Thank you for helping keep Talk Health safe."
    )
    event = notifications.Event(
        key=f"forums.report-outcome:{action.pk}",
        url=action.thread.get_absolute_url() if action.thread_id else reverse("home"),
        actor=action.actor_id,
        excerpt=outcome,
    )
    notifications.notifications_create(
        event=event,
        recipients=[(pk, notifications.Category.MODERATION, "The outcome of your report") for pk in reporter_ids],
    )


def appeal_decided(*, appeal, action) -> None:
    reversed_ = action.kind == Kind.APPEAL_REVERSED
    verdict = (
        "They agreed with you and have reversed the decision." if reversed_
        else "They decided the original decision was right, so it stays."
    )
    notifications.notification_create(
        recipient=appeal.appellant,
        category=notifications.Category.APPEAL,
        title="Your appeal has been decided",
        event=notifications.Event(
            key=f"forums.appeal:{appeal.pk}",
            url=reverse("moderation:decision", args=[appeal.action_id]),
            actor=action.actor_id,
            excerpt=f"A different moderator has looked at your appeal. {verdict} Their reason: {appeal.decision_reason}",
        ),
    )
