"""Email delivery in one process: what an email carries, once each, retries, the sweep, digests."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from accounts.models import EmailStatus, Notification, NotificationFanOut
from accounts.notifications import Category, Event, Frequency, delivery, tokens
from accounts.tasks import notifications_deliver
from talkhealth.celery import app as celery_app
from tests.factories import UserFactory
from tests.forums.factories import ThreadFactory

from .backends import CountingBackend

pytestmark = pytest.mark.django_db

SITE = "https://talkhealth.test"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def counting_backend(settings):
    settings.EMAIL_BACKEND = "tests.accounts.notifications.backends.CountingBackend"
    CountingBackend.opened, CountingBackend.fail_next = 0, 0
    yield CountingBackend
    CountingBackend.opened, CountingBackend.fail_next = 0, 0


def _reset_broker_pools():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Celery publishing for real, to a broker on a closed port: as when Redis is down."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, "redis://127.0.0.1:1/0"
    _reset_broker_pools()
    yield
    conf.task_always_eager, conf.broker_url = saved
    _reset_broker_pools()


def waiting(person, category=Category.REPLY, key="test:1", title="Sam Lee replied to your comment", **event):
    """A PENDING (or DIGEST) row, written without running the on-commit delivery."""
    event = Event(key=key, url=event.pop("url", "/comments/7/"), **event)
    return notifications.notification_create(recipient=person, category=category, title=title, event=event)


def sent(row) -> str:
    return Notification.objects.values_list("email_status", flat=True).get(pk=row.pk)


# What every email carries


def test_the_email_has_both_parts_a_link_straight_to_the_comment_and_one_click_unsubscribe(resident):
    row = waiting(
        resident, excerpt="I waited three weeks <for> a call back.", section="Primary care", topic="GP waits"
    )

    assert delivery.emails_deliver(ids=[row.pk]).ids == []

    [message] = mail.outbox
    assert message.subject == "Talk Health: Sam Lee replied to your comment"
    assert message.to == [resident.email]
    text = message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for part in (text, html):
        assert f"{SITE}/comments/7/" in part
        assert f"{SITE}/notifications/preferences/" in part
        assert "Primary care" in part and "GP waits" in part
    assert "I waited three weeks <for> a call back." in text
    assert "I waited three weeks &lt;for&gt; a call back." in html
    assert 'lang="en-GB"' in html and "#005eb8" in html

    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/notifications/unsubscribe/") and unsubscribe.endswith("/>")
    token = unsubscribe[1:-1].rstrip("/").rsplit("/", 1)[1]
    assert tokens.read(token) == (resident.pk, [Category.REPLY])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text and unsubscribe[1:-1] in html
    assert message.extra_headers["Message-ID"] == f"<talkhealth.notification.{row.pk}@talkhealth.test>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_headers_survive_into_the_sent_message(resident):
    row = waiting(resident)
    delivery.emails_deliver(ids=[row.pk])

    sent_message = mail.outbox[0].message()
    assert sent_message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent_message["List-Unsubscribe"].startswith(f"<{SITE}/notifications/unsubscribe/")
    assert sent_message.get_content_type() == "multipart/alternative"


# Once each


def test_each_row_is_sent_once_however_often_it_is_delivered(resident):
    row = waiting(resident)

    for _ in range(3):
        delivery.emails_deliver(ids=[row.pk])

    assert len(mail.outbox) == 1
    assert sent(row) == EmailStatus.SENT


def test_a_batch_goes_over_one_connection(counting_backend):
    rows = [waiting(UserFactory()) for _ in range(5)]

    delivery.emails_deliver(ids=[row.pk for row in rows])

    assert counting_backend.opened == 1
    assert len(mail.outbox) == 5


def test_a_person_who_is_no_longer_verified_or_turned_the_category_off_is_not_emailed(resident):
    row = waiting(resident)
    type(resident).objects.filter(pk=resident.pk).update(email_verified=False)
    other = UserFactory()
    other_row = waiting(other)
    notifications.notification_preferences_set(actor=other, user=other, frequencies={Category.REPLY: Frequency.DAILY})
    Notification.objects.filter(pk=other_row.pk).update(email_status=EmailStatus.PENDING)

    delivery.emails_deliver(ids=[row.pk, other_row.pk])

    assert mail.outbox == []
    assert sent(row) == EmailStatus.SKIPPED
    assert sent(other_row) == EmailStatus.DIGEST


def test_the_email_goes_to_the_address_the_person_has_now(resident):
    row = waiting(resident)
    type(resident).objects.filter(pk=resident.pk).update(email="new.address@example.com")

    delivery.emails_deliver(ids=[row.pk])

    assert mail.outbox[0].to == ["new.address@example.com"]


# Retries


def test_an_smtp_failure_leaves_the_row_waiting_with_backoff_then_it_is_sent_once(counting_backend, settings):
    settings.NOTIFICATIONS_EMAIL_RETRY_SECONDS = 30
    row = waiting(UserFactory())
    counting_backend.fail_next = 1

    retry = delivery.emails_deliver(ids=[row.pk])

    assert retry.ids == [row.pk] and retry.countdown == 30
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING and row.email_attempts == 1
    assert "SMTPServerDisconnected" in row.email_error
    assert timedelta(seconds=25) < row.email_due_at - timezone.now() <= timedelta(seconds=30)
    assert delivery.emails_deliver(ids=[row.pk]).ids == [], "not due yet"
    assert mail.outbox == []

    Notification.objects.filter(pk=row.pk).update(email_due_at=timezone.now())
    assert delivery.emails_deliver(ids=[row.pk]).ids == []
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 2 and row.email_error == ""


def test_backoff_doubles_up_to_the_cap(settings):
    settings.NOTIFICATIONS_EMAIL_RETRY_SECONDS = 30
    settings.NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS = 3600
    assert [delivery.backoff(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]


def test_after_the_last_attempt_it_gives_up_and_logs(counting_backend, settings, caplog):
    settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 3
    row = waiting(UserFactory())
    counting_backend.fail_next = 10

    with caplog.at_level(logging.WARNING, logger="accounts.notifications.delivery"):
        for _ in range(3):
            Notification.objects.filter(pk=row.pk).update(email_due_at=timezone.now())
            delivery.emails_deliver(ids=[row.pk])

    row.refresh_from_db()
    assert row.email_status == EmailStatus.FAILED and row.email_attempts == 3
    assert f"Gave up emailing notification {row.pk}" in caplog.text
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "ERROR"]
    assert mail.outbox == []


def test_an_address_refused_outright_is_given_up_at_once(resident, settings, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({resident.email: (550, b"No such mailbox")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    row = waiting(resident)

    assert delivery.emails_deliver(ids=[row.pk]).ids == []
    assert sent(row) == EmailStatus.FAILED


def test_the_task_retries_what_failed_and_does_not_raise(counting_backend, resident):
    row = waiting(resident)
    counting_backend.fail_next = 1

    notifications_deliver.delay([row.pk])

    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING and row.email_attempts == 1


# The sweep


def test_the_sweep_queues_rows_left_unsent_for_over_a_minute_and_no_others(resident):
    now = timezone.now()
    old, fresh, leased, stale_lease, failed = (waiting(resident, key=f"k:{n}") for n in range(5))
    Notification.objects.filter(pk=old.pk).update(email_due_at=now - timedelta(minutes=2))
    Notification.objects.filter(pk=leased.pk).update(
        email_due_at=now - timedelta(minutes=2), email_queued_at=now - timedelta(minutes=2)
    )
    Notification.objects.filter(pk=stale_lease.pk).update(
        email_due_at=now - timedelta(minutes=20), email_queued_at=now - timedelta(minutes=11)
    )
    Notification.objects.filter(pk=failed.pk).update(
        email_due_at=now - timedelta(minutes=2), email_status=EmailStatus.FAILED
    )

    assert delivery.emails_sweep() == {"emails": 2, "fan_outs": 0}

    assert {sent(row) for row in (old, stale_lease)} == {EmailStatus.SENT}
    assert {sent(row) for row in (fresh, leased)} == {EmailStatus.PENDING}
    assert sent(failed) == EmailStatus.FAILED
    assert len(mail.outbox) == 2
    assert delivery.emails_sweep()["emails"] == 0


def test_the_sweep_finishes_a_fan_out_that_was_never_run(db):
    [UserFactory() for _ in range(3)]
    fan_out = NotificationFanOut.objects.create(
        category=Category.PROGRAMME_UPDATE,
        event_key="programmes.update:1",
        title="News",
        url="/programmes/cancer/",
        audience="tests.accounts.notifications.test_services.everyone",
        created_at=timezone.now() - timedelta(minutes=5),
    )

    assert delivery.emails_sweep()["fan_outs"] == 1

    fan_out.refresh_from_db()
    assert fan_out.completed_at is not None
    assert Notification.objects.filter(event_key="programmes.update:1").count() == 3


def test_with_the_broker_down_a_reply_is_still_posted_and_the_sweep_delivers_it_once(
    client, resident, board, broker_down, caplog, django_capture_on_commit_callbacks
):
    thread = ThreadFactory(author=resident)
    replier = UserFactory()
    client.force_login(replier)

    with caplog.at_level(logging.ERROR, logger="accounts.notifications.queue"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": "Same here"})

    assert response.status_code == 302
    row = Notification.objects.get(recipient=resident)
    assert row.email_status == EmailStatus.PENDING and row.email_queued_at is None
    assert "Could not queue accounts.notifications_deliver" in caplog.text
    assert mail.outbox == []

    celery_app.conf.task_always_eager = True
    assert delivery.emails_sweep()["emails"] == 0, "not yet a minute old"
    later = timezone.now() + timedelta(minutes=2)
    assert delivery.emails_sweep(now=later)["emails"] == 1
    assert delivery.emails_sweep(now=later)["emails"] == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [resident.email]


# Digests


def test_a_daily_digest_groups_what_is_new_by_programme_and_discussion(resident):
    for n, (section, topic) in enumerate(
        [("Cancer", "Screening"), ("Primary care", "GP waits"), ("Cancer", "Screening"), ("Cancer", "Trials")]
    ):
        waiting(
            resident, category=Category.FOLLOWED_THREAD, key=f"k:{n}", title=f"Comment {n}",
            section=section, topic=topic, topic_url=f"/threads/{n}/", url=f"/comments/{n}/",
        )  # fmt: skip
    read = waiting(resident, category=Category.FOLLOWED_THREAD, key="k:read", title="Already read")
    notifications.notification_mark_read(actor=resident, notification=read)
    weekly = waiting(resident, category=Category.PROGRAMME_UPDATE, key="k:weekly", title="Weekly news")
    notifications.notification_preferences_set(
        actor=resident, user=resident, frequencies={Category.PROGRAMME_UPDATE: Frequency.WEEKLY}
    )

    delivery.digests_queue(frequency="daily")

    [message] = mail.outbox
    assert message.subject == "Talk Health: your daily digest: 4 new notifications"
    text = message.body
    assert text.index("== Cancer ==") < text.index("Screening") < text.index("Comment 0") < text.index("Comment 2")
    assert text.index("Comment 2") < text.index("Trials") < text.index("Comment 3") < text.index("== Primary care ==")
    assert f"{SITE}/comments/1/" in text
    assert "Already read" not in text and "Weekly news" not in text
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Screening" in message.alternatives[0][0]
    assert sent(read) == EmailStatus.SKIPPED
    assert sent(weekly) == EmailStatus.DIGEST

    delivery.digests_queue(frequency="daily")
    assert len(mail.outbox) == 1, "nothing new: no second digest"

    delivery.digests_queue(frequency="weekly")
    assert len(mail.outbox) == 2
    assert "Weekly news" in mail.outbox[1].body
    assert mail.outbox[1].subject == "Talk Health: your weekly digest: 1 new notification"


def test_a_digest_is_one_email_per_person(db):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        for n in range(2):
            waiting(person, category=Category.FOLLOWED_THREAD, key=f"k:{n}")

    delivery.digests_queue(frequency="daily")

    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in people)


def test_a_digest_whose_send_fails_keeps_its_rows_for_the_next_try(counting_backend, resident):
    row = waiting(resident, category=Category.FOLLOWED_THREAD)
    counting_backend.fail_next = 1

    assert delivery.digests_send(user_ids=[resident.pk], frequency="daily") == [resident.pk]
    assert sent(row) == EmailStatus.DIGEST

    assert delivery.digests_send(user_ids=[resident.pk], frequency="daily") == []
    assert sent(row) == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_sweep_and_both_digests(settings):
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["accounts.notifications_sweep"]["schedule"] == 60.0
    digests = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "accounts.notifications_digest"]
    assert sorted(e["args"] for e in digests) == [("daily",), ("weekly",)]
