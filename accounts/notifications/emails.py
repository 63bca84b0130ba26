"""Notification emails: HTML and plain text in the site's style, a link straight to the thing,
and one-click unsubscribe for the category (RFC 8058) with a signed token that needs no login."""

from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import EmailFrequency, Notification, NotificationCategory, User

from . import tokens


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def unsubscribe_url(user_id: int, categories: list[str]) -> str:
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": tokens.make(user_id, categories)}))


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "talkhealth.invalid"


def _message(*, user: User, subject: str, template: str, context: dict, categories: list[str], message_id: str):
    """One email with both parts and the unsubscribe headers.

    The Message-ID is fixed per notification, so a copy sent twice after a crash reads as one.
    """
    unsubscribe = unsubscribe_url(user.pk, categories)
    context = {
        **context,
        "user": user,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "inbox_url": absolute(reverse("notifications:inbox")),
        "category_labels": [NotificationCategory(c).label for c in categories],
    }
    message = EmailMultiAlternatives(
        subject=" ".join(f"Talk Health: {subject}".split()),
        body=render_to_string(f"accounts/emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<{message_id}@{_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"accounts/emails/{template}.html", context), "text/html")
    return message


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    """The email for one notification, to its recipient's current address."""
    return _message(
        user=notification.recipient,
        subject=notification.title,
        template="notification",
        context={
            "notification": notification,
            "link": absolute(notification.url),
            "topic_link": absolute(notification.topic_url) if notification.topic_url else "",
        },
        categories=[notification.category],
        message_id=f"talkhealth.notification.{notification.pk}",
    )


def digest_groups(notifications: list[Notification]) -> list[dict]:
    """[{section, topics: [{topic, url, items}]}], in the order things happened."""
    sections: OrderedDict[str, OrderedDict[tuple[str, str], list]] = OrderedDict()
    for notification in notifications:
        topics = sections.setdefault(notification.section, OrderedDict())
        topics.setdefault((notification.topic, notification.topic_url), []).append(
            {"notification": notification, "link": absolute(notification.url)}
        )
    return [
        {
            "section": section,
            "topics": [
                {"topic": topic, "url": absolute(url) if url else "", "items": items}
                for (topic, url), items in topics.items()
            ],
        }
        for section, topics in sections.items()
    ]


def digest_message(*, user: User, frequency: str, notifications: list[Notification]) -> EmailMultiAlternatives:
    """One email with everything new since the last digest, grouped by programme and discussion."""
    period = "day" if frequency == EmailFrequency.DAILY else "week"
    count = len(notifications)
    categories = sorted({n.category for n in notifications})
    return _message(
        user=user,
        subject=f"your {frequency} digest: {count} new notification{'s' if count != 1 else ''}",
        template="digest",
        context={"groups": digest_groups(notifications), "count": count, "period": period, "frequency": frequency},
        categories=categories,
        message_id=f"talkhealth.digest.{user.pk}.{notifications[0].pk}-{notifications[-1].pk}",
    )
