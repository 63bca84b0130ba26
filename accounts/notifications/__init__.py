"""Notifications: the inbox, email preferences and email delivery through Celery.

Other apps tell people things by calling these inside their own service's transaction, after
their own permission checks; the rows are the outbox and email work is queued on commit:

    from accounts import notifications
    event = notifications.Event(key=f"forums.moderation:{action.pk}", url=..., actor=moderator)
    notifications.notification_create(
        recipient=author, category=notifications.Category.MODERATION, title="...", event=event
    )
    notifications.notifications_create(event=event, recipients=[(user, category, title), ...])
    notifications.notifications_fan_out(
        event=event, category=..., title=..., audience="programmes.notifications.programme_followers",
        audience_kwargs={"programme_id": 3},
        first=[(user, category, title), ...],  # told more specifically, and in the same update
    )

Each raises the unread counts of everyone it tells in one statement, in id order. A service that
tells people of several events in one transaction gathers those into one statement, or its
transaction could deadlock with another's:

    @transaction.atomic
    @notifications.unread_counts_together()
    def item_approve(...): ...
"""

from accounts.models import EmailFrequency as Frequency
from accounts.models import NotificationCategory as Category

from .services import (
    TAKEN_DOWN_TOPIC,
    Event,
    excerpt,
    notification_create,
    notification_mark_read,
    notification_preferences_set,
    notification_unsubscribe,
    notifications_create,
    notifications_fan_out,
    notifications_mark_all_read,
    notifications_revise,
    notifications_withdraw,
    unread_counts_together,
)

__all__ = [
    "TAKEN_DOWN_TOPIC",
    "Category",
    "Event",
    "Frequency",
    "excerpt",
    "notification_create",
    "notification_mark_read",
    "notification_preferences_set",
    "notification_unsubscribe",
    "notifications_create",
    "notifications_fan_out",
    "notifications_mark_all_read",
    "notifications_revise",
    "notifications_withdraw",
    "unread_counts_together",
]
