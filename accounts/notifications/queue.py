"""Handing notification work to Celery once the transaction commits, ids only.

A request never fails because the broker is down: the error is logged and the rows wait in the
database, where the sweep finds them. With Celery eager (the embedded default and the tests) the
task runs here and now, and its errors are bugs, so they propagate.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def publish(task, *args) -> bool:
    """Queue `task(*args)` now. False, and logged, when the broker cannot take it."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=args)
        return True
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception as exc:  # noqa: BLE001 (any failure to publish leaves the work to the sweep)
        log.error("Could not queue %s%r, left for the sweep: %s", task.name, args, exc)
        return False
    return True


def chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def deliver(ids: list[int]) -> None:
    """Queue emails for these notifications now, in batches, and note when each batch was queued."""
    from accounts.models import EmailStatus, Notification
    from accounts.tasks import notifications_deliver

    for batch in chunks(list(ids), settings.NOTIFICATIONS_EMAIL_BATCH):
        queued_at = timezone.now()
        if publish(notifications_deliver, batch) and not notifications_deliver.app.conf.task_always_eager:
            Notification.objects.filter(pk__in=batch, email_status=EmailStatus.PENDING).update(
                email_queued_at=queued_at
            )


def deliver_on_commit(ids: list[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: deliver(ids))


def fan_out(fan_out_id: int) -> None:
    from accounts.models import NotificationFanOut
    from accounts.tasks import notifications_fan_out

    queued_at = timezone.now()
    if publish(notifications_fan_out, fan_out_id) and not notifications_fan_out.app.conf.task_always_eager:
        NotificationFanOut.objects.filter(pk=fan_out_id, completed_at__isnull=True).update(queued_at=queued_at)


def fan_out_on_commit(fan_out_id: int) -> None:
    transaction.on_commit(lambda: fan_out(fan_out_id))
