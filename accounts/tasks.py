"""Celery tasks for accounts: load by id, call a service or email function, nothing else. Each
imports what it calls inside the function, so nothing imports the tasks and no import runs in a
circle; work reaches them through talkhealth.outbox."""

from celery import shared_task


@shared_task(name="accounts.send_email", acks_late=True)
def send_email(payload: dict) -> None:
    """Run through the outbox, which retries a failed send with backoff."""
    from . import emails

    emails.build(payload).send()


# Notifications: each task loads by id and calls accounts.notifications; all are safe to run twice.


@shared_task(bind=True, name="accounts.notifications_deliver", acks_late=True)
def notifications_deliver(self, ids: list[int]):
    """Email these notifications. Those whose send failed are queued again for when their backoff
    ends; each row counts its own attempts and is given up after the last."""
    from .notifications import delivery

    retry = delivery.emails_deliver(ids=ids)
    if retry.ids:
        return self.retry(args=[retry.ids], countdown=retry.countdown, max_retries=None, throw=False)


@shared_task(name="accounts.notifications_fan_out", acks_late=True)
def notifications_fan_out(fan_out_id: int) -> None:
    from .notifications import services

    services.fan_out_run(fan_out_id=fan_out_id)


@shared_task(name="accounts.notifications_sweep", acks_late=True)
def notifications_sweep() -> None:
    from .notifications import delivery

    delivery.emails_sweep()


@shared_task(name="accounts.notifications_digest", acks_late=True)
def notifications_digest(frequency: str) -> None:
    from .notifications import delivery

    delivery.digests_queue(frequency=frequency)


@shared_task(bind=True, name="accounts.notifications_send_digests", acks_late=True)
def notifications_send_digests(self, user_ids: list[int], frequency: str):
    """Send these people's digests; those whose send failed are tried again with backoff, and
    after the last try their notifications wait for the next digest."""
    from django.conf import settings

    from .notifications import delivery

    attempt = self.request.retries + 1
    failed = delivery.digests_send(user_ids=user_ids, frequency=frequency, attempt=attempt)
    if failed and attempt < settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS:
        return self.retry(
            args=[failed, frequency], countdown=delivery.backoff(attempt), max_retries=None, throw=False
        )


# Privacy: each task loads by id (or takes nothing) and calls an accounts service.


@shared_task(name="accounts.data_export_build", acks_late=True)
def data_export_build(export_id: int) -> None:
    """Run through the outbox, which queued it when the person asked for their data."""
    from . import services

    services.data_export_build(export_id=export_id)


@shared_task(name="accounts.data_exports_purge", acks_late=True)
def data_exports_purge() -> None:
    from . import services

    services.data_exports_purge()


@shared_task(name="accounts.users_purge_unconfirmed", acks_late=True)
def users_purge_unconfirmed() -> None:
    from . import services

    services.users_purge_unconfirmed()
