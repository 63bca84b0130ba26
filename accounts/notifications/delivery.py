"""Sending notification email: once each, retried with backoff, swept up when lost, and digests.

A row is sent by whoever moves it out of PENDING: the move and the hand-over to the mail backend
share one short transaction, so two workers never both send it, a send that fails leaves it
PENDING for a retry, and a worker killed mid-send leaves it PENDING for the sweep.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import EmailFrequency, EmailStatus, Notification, NotificationCategory, NotificationFanOut, User

from . import emails, preferences, queue

log = logging.getLogger(__name__)

Frequency = EmailFrequency

# Celery may run a retry a moment before its countdown ends by this clock.
DUE_SLACK = timedelta(seconds=1)
SWEEP_LIMIT = 10_000
DIGEST_BATCH = 100


@dataclass
class Retry:
    """Rows to try again, and the shortest wait before any of them is due."""

    ids: list[int] = field(default_factory=list)
    countdown: float | None = None

    def add(self, pk: int, wait: float) -> None:
        self.ids.append(pk)
        self.countdown = wait if self.countdown is None else min(self.countdown, wait)


def backoff(attempts: int) -> float:
    """Seconds before try number `attempts + 1`: the base, doubled each time, capped."""
    return min(
        settings.NOTIFICATIONS_EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0),
        settings.NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS,
    )


def _permanent(exc: Exception) -> bool:
    """A 5xx refusal of the address will not get better by trying again."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused) and all(code >= 500 for code, _ in exc.recipients.values())


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 (a broken connection is replaced on the next send)
        pass


def _failed(row: Notification, exc: Exception) -> float | None:
    """Record a failed try. Returns the wait before the next one, or None when given up."""
    attempts = row.email_attempts + 1
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:500]
    pending = Notification.objects.filter(pk=row.pk, email_status=EmailStatus.PENDING)
    if attempts >= settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS or _permanent(exc):
        pending.update(email_status=EmailStatus.FAILED, email_attempts=attempts, email_error=error)
        log.error(
            "Gave up emailing notification %s to user %s after %s attempt(s): %s",
            row.pk, row.recipient_id, attempts, error,
        )  # fmt: skip
        return None
    wait = backoff(attempts)
    pending.update(
        email_attempts=attempts,
        email_due_at=now + timedelta(seconds=wait),
        email_queued_at=now,
        email_error=error,
    )
    log.warning("Emailing notification %s failed (attempt %s), retrying in %.0f s: %s", row.pk, attempts, wait, error)
    return wait


def _deliver_one(row: Notification, connection, chosen: preferences.Chosen) -> float | None:
    recipient = row.recipient
    frequency = preferences.frequency(chosen, recipient.pk, row.category)
    pending = Notification.objects.filter(pk=row.pk, email_status=EmailStatus.PENDING)
    if not (recipient.email_verified and recipient.is_active) or frequency == Frequency.OFF:
        pending.update(email_status=EmailStatus.SKIPPED)
        return None
    if frequency != Frequency.IMMEDIATELY:
        pending.update(email_status=EmailStatus.DIGEST, email_due_at=None)
        return None
    message = emails.notification_message(row)
    try:
        with transaction.atomic():
            claimed = pending.update(
                email_status=EmailStatus.SENT,
                email_sent_at=timezone.now(),
                email_attempts=F("email_attempts") + 1,
                email_error="",
            )
            if claimed:
                connection.send_messages([message])
    except OSError as exc:  # smtplib.SMTPException, socket errors, timeouts
        _close(connection)
        return _failed(row, exc)
    return None


def emails_deliver(*, ids: list[int]) -> Retry:
    """Email each of these notifications that is PENDING and due, over one reused connection."""
    rows = list(
        Notification.objects.filter(
            pk__in=ids, email_status=EmailStatus.PENDING, email_due_at__lte=timezone.now() + DUE_SLACK
        )
        .select_related("recipient")
        .order_by("pk")
    )
    retry = Retry()
    if not rows:
        return retry
    chosen = preferences.chosen_for({row.recipient_id for row in rows})
    connection = mail.get_connection()
    try:
        for row in rows:
            wait = _deliver_one(row, connection, chosen)
            if wait is not None:
                retry.add(row.pk, wait)
    finally:
        _close(connection)
    return retry


def emails_sweep(*, now=None) -> dict[str, int]:
    """Queue again whatever was left unsent: never queued (the broker was down) after a minute,
    queued but still unsent (message or worker lost) after the lease, and unfinished fan-outs."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS)
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_QUEUE_LEASE_SECONDS)
    unqueued = Q(email_queued_at__isnull=True) | Q(email_queued_at__lte=lease)
    ids = list(
        Notification.objects.filter(unqueued, email_status=EmailStatus.PENDING, email_due_at__lte=stale)
        .order_by("email_due_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    if ids:
        log.info("Sweep: queueing %s unsent notification email(s) again.", len(ids))
        queue.deliver(ids)
    fan_outs = list(
        NotificationFanOut.objects.filter(completed_at__isnull=True, created_at__lte=stale)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=lease))
        .values_list("pk", flat=True)
    )
    for pk in fan_outs:
        log.info("Sweep: queueing unfinished fan-out %s again.", pk)
        queue.fan_out(pk)
    return {"emails": len(ids), "fan_outs": len(fan_outs)}


def _digest_categories(frequency: str, user_id: int, chosen: preferences.Chosen) -> tuple[list[str], list[str]]:
    """(categories this run sends, categories now turned off) for one person.

    The daily run also takes anything waiting in a category since switched to "straight away".
    """
    takes = {Frequency.DAILY: {Frequency.DAILY, Frequency.IMMEDIATELY}, Frequency.WEEKLY: {Frequency.WEEKLY}}
    mine, off = [], []
    for category in NotificationCategory.values:
        chosen_frequency = preferences.frequency(chosen, user_id, category)
        if chosen_frequency in takes[frequency]:
            mine.append(category)
        elif chosen_frequency == Frequency.OFF:
            off.append(category)
    return mine, off


def digests_queue(*, frequency: str) -> int:
    """Queue a digest task for everyone with something waiting; the tasks decide what is due."""
    frequency = Frequency(frequency).value
    user_ids = list(
        Notification.objects.filter(email_status=EmailStatus.DIGEST)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for batch in queue.chunks(user_ids, DIGEST_BATCH):
        queue.publish("accounts.notifications_send_digests", batch, frequency)
    return len(user_ids)


def _digest_one(user: User, frequency: str, chosen: preferences.Chosen, connection) -> int:
    waiting = Notification.objects.filter(recipient=user, email_status=EmailStatus.DIGEST)
    if not (user.email_verified and user.is_active):
        waiting.update(email_status=EmailStatus.SKIPPED)
        return 0
    mine, off = _digest_categories(frequency, user.pk, chosen)
    waiting.filter(Q(category__in=off) | Q(read_at__isnull=False)).update(email_status=EmailStatus.SKIPPED)
    with transaction.atomic():
        rows = list(
            waiting.filter(category__in=mine, read_at__isnull=True)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "pk")
        )
        if not rows:
            return 0
        message = emails.digest_message(user=user, frequency=frequency, notifications=rows)
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            email_status=EmailStatus.SENT, email_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1
        )
        connection.send_messages([message])
    return len(rows)


def digests_send(*, user_ids: list[int], frequency: str, attempt: int = 1) -> list[int]:
    """Send each person their digest of what waits, if anything is new (unread). Returns the ids
    whose send failed: their rows stay waiting, for a retry or the next digest."""
    frequency = Frequency(frequency).value
    users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
    chosen = preferences.chosen_for(user_ids)
    connection = mail.get_connection()
    failed = []
    try:
        for user in users:
            try:
                _digest_one(user, frequency, chosen, connection)
            except OSError as exc:
                _close(connection)
                failed.append(user.pk)
                if attempt >= settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS:
                    log.error(
                        "Gave up sending the %s digest to user %s after %s attempt(s), until the next digest: %s",
                        frequency, user.pk, attempt, exc,
                    )  # fmt: skip
                else:
                    log.warning(
                        "Sending the %s digest to user %s failed (attempt %s): %s", frequency, user.pk, attempt, exc
                    )
    finally:
        _close(connection)
    return failed
