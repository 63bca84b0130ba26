"""Handing notification work to Celery once the transaction commits, ids only.

Notification rows are their own outbox (they carry the email's status), and reach Celery through
the same `talkhealth.outbox.publish` as every other job. A request never fails because the broker is
down: the error is logged and the rows wait in the database, where the sweep finds them. With Celery
eager (the embedded default and the tests) the task runs here and now, and its errors are bugs, so
they propagate.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from talkhealth.outbox import eager, publish


def chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def deliver(ids: list[int]) -> None:
    """Queue emails for these notifications now, in batches, and note when each batch was queued."""
    from accounts.models import EmailStatus, Notification

    for batch in chunks(list(ids), settings.NOTIFICATIONS_EMAIL_BATCH):
        queued_at = timezone.now()
        if publish("accounts.notifications_deliver", batch) and not eager():
            Notification.objects.filter(pk__in=batch, email_status=EmailStatus.PENDING).update(
                email_queued_at=queued_at
            )


def deliver_on_commit(ids: list[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: deliver(ids))


def fan_out(fan_out_id: int) -> None:
    from accounts.models import NotificationFanOut

    queued_at = timezone.now()
    if publish("accounts.notifications_fan_out", fan_out_id) and not eager():
        NotificationFanOut.objects.filter(pk=fan_out_id, completed_at__isnull=True).update(queued_at=queued_at)


def fan_out_on_commit(fan_out_id: int) -> None:
    transaction.on_commit(lambda: fan_out(fan_out_id))
