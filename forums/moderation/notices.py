"""Telling people about moderation: moderators about urgent items and appeals, authors about
decisions and how to appeal, reporters about outcomes. Emails are queued after commit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import emails
from accounts.roles import Role

from .models import ModerationAction

Kind = ModerationAction.Kind

SIGNPOSTING = (
    "If you or someone else is in danger now, call 999. For urgent medical help, call NHS 111. "
    "Samaritans are there day or night on 116 123."
)


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


def moderators_alert(*, item) -> None:
    link = _url(reverse("moderation:item", args=[item.pk]))
    _send(
        _moderators_for(item.programme_id),
        subject="Urgent: someone may be at risk",
        paragraphs=[
            "A post or report on Talk Health suggests someone may be at risk. It is at the top of the review queue.",
            "Please review it now and follow the safeguarding procedure.",
        ],
        link=link,
        link_text="Review it now",
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
    if action.subject is None:
        return
    paragraphs = [_what_happened(action), f"Reason: {action.reason}"]
    if action.house_rule:
        paragraphs.append(f"House rule: {action.get_house_rule_display()}")
    if action.kind in (Kind.HIDE, Kind.REMOVE, Kind.EDIT, Kind.WARN, Kind.SUSPEND, Kind.BAN):
        paragraphs.append("If you think this is wrong you can appeal. A different moderator will look at it.")
    _send(
        [action.subject],
        subject="A moderator has reviewed your post" if action.kind not in (Kind.WARN, Kind.SUSPEND, Kind.BAN)
        else "A message from the moderators",
        paragraphs=paragraphs,
        link=_url(reverse("moderation:decision", args=[action.pk])),
        link_text="See the decision and how to appeal",
    )


def reporters_told(*, reporter_ids, action) -> None:
    if not reporter_ids:
        return
    outcome = (
        "A moderator reviewed it and decided it does not break the house rules, so it stays."
        if action.kind in (Kind.DISMISS, Kind.APPROVE)
        else "A moderator reviewed it and took action. Thank you for helping keep Talk Health safe."
    )
    _send(
        get_user_model().objects.filter(pk__in=reporter_ids),
        subject="The outcome of your report",
        paragraphs=["Thank you for reporting a post.", outcome],
    )


def appeal_decided(*, appeal, action) -> None:
    reversed_ = action.kind == Kind.APPEAL_REVERSED
    _send(
        [appeal.appellant],
        subject="Your appeal has been decided",
        paragraphs=[
            "A different moderator has looked at your appeal.",
            "They agreed with you and have reversed the decision." if reversed_
            else "They decided the original decision was right, so it stays.",
            f"Their reason: {appeal.decision_reason}",
        ],
        link=_url(reverse("moderation:decision", args=[appeal.action_id])),
        link_text="See the decision",
    )
