"""Notification email through Redis and real `celery worker` processes on the test database.

These run when REDIS_URL and a PostgreSQL DATABASE_URL are set (CI sets both; there, their absence
fails instead of skipping): the web side and the worker must be separate processes sharing Redis
and the database, or nothing here is proved.
"""

import os
import signal
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts import notifications
from accounts.models import EmailStatus, Notification, NotificationPreference
from accounts.notifications import Category, Event
from accounts.tasks import notifications_sweep
from forums.models import Comment
from tests.factories import UserFactory
from tests.forums.factories import ThreadFactory
from tests.talkhealth.conftest import redis_down, wait_for

from .conftest import WORKER_SITE_URL

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FLAKY = "tests.accounts.notifications.backends.FlakyFileBackend"
SLOW = "tests.accounts.notifications.backends.SlowFileBackend"


def post_reply(client, thread, replier, body="Mine took two weeks."):
    client.force_login(replier)
    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": body})
    assert response.status_code == 302, response.content.decode()[:500]
    return Comment.objects.get(author=replier)


def plain_and_html(message):
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def test_a_reply_is_emailed_by_a_separate_worker_with_the_link_and_headers(start_worker, client):
    worker = start_worker()
    author = UserFactory()
    thread = ThreadFactory(author=author, title="Waiting times")

    comment = post_reply(client, thread, UserFactory(display_name="Sam Lee"))

    [message] = worker.wait_for_emails(count=1)
    assert mail.outbox == [], "the email was sent in this process, not by the worker"
    assert message["To"] == author.email
    assert message["Subject"].strip() == "Talk Health: Sam Lee replied to your discussion “Waiting times”"
    text, html = plain_and_html(message)
    link = f"{WORKER_SITE_URL}/comments/{comment.pk}/"
    assert link in text and f'href="{link}"' in html
    assert f"{WORKER_SITE_URL}/notifications/preferences/" in text
    unsubscribe = message["List-Unsubscribe"].strip()  # long headers are folded; unfolded, the space goes
    assert unsubscribe.startswith(f"<{WORKER_SITE_URL}/notifications/unsubscribe/") and unsubscribe.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    wait_for(
        "the row marked sent", lambda: Notification.objects.get(recipient=author).email_status == EmailStatus.SENT
    )

    path = unsubscribe[1:-1].removeprefix(WORKER_SITE_URL)
    one_click = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    assert NotificationPreference.objects.get(user=author).frequency == "off"


def test_with_redis_down_the_reply_is_posted_and_the_sweep_delivers_it_exactly_once(start_worker, client, caplog):
    worker = start_worker(TEST_SWEEP_AFTER=1)
    author = UserFactory()
    thread = ThreadFactory(author=author)

    with redis_down():
        started = time.monotonic()
        post_reply(client, thread, UserFactory())
        assert time.monotonic() - started < 5, "a dead broker must not hold the request up"

    row = Notification.objects.get(recipient=author)
    assert row.email_status == EmailStatus.PENDING and row.email_queued_at is None
    time.sleep(2)
    assert not any(worker.mail_dir.iterdir()), "nothing can have been sent while Redis was down"

    notifications_sweep.delay()
    [message] = worker.wait_for_emails(count=1)
    assert message["To"] == author.email
    wait_for("the row marked sent", lambda: Notification.objects.get(pk=row.pk).email_status == EmailStatus.SENT)

    notifications_sweep.delay()
    notifications_sweep.delay()
    time.sleep(3)
    assert len(worker.wait_for_emails(count=1)) == 1, "delivered exactly once"
    assert "Sweep: queueing 1 unsent notification email(s) again." in worker.log()


def test_smtp_failing_at_first_is_retried_with_backoff_and_delivered_once(start_worker, client, tmp_path):
    worker = start_worker(backend=FLAKY, FLAKY_FAILURES=2, FLAKY_STATE=tmp_path / "flaky")
    author = UserFactory()

    post_reply(client, ThreadFactory(author=author), UserFactory())

    [message] = worker.wait_for_emails(count=1)
    assert message["To"] == author.email
    row = Notification.objects.get(recipient=author)
    wait_for("the row marked sent", lambda: Notification.objects.get(pk=row.pk).email_status == EmailStatus.SENT)
    row.refresh_from_db()
    assert row.email_attempts == 3 and row.email_error == ""
    assert (tmp_path / "flaky").stat().st_size == 2
    log = worker.log()
    assert "failed (attempt 1), retrying in 0 s" in log or "failed (attempt 1), retrying in 1 s" in log
    assert "(attempt 2)" in log
    time.sleep(2)
    assert len(worker.wait_for_emails(count=1)) == 1


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(start_worker, tmp_path):
    started = tmp_path / "started"
    first = start_worker(backend=SLOW, SLOW_SECONDS=0.4, SLOW_STARTED=started, TEST_SWEEP_AFTER=1, TEST_QUEUE_LEASE=1)
    people = [UserFactory() for _ in range(12)]
    with transaction.atomic():
        notifications.notifications_create(
            event=Event(key="test:batch", url="/threads/1/"),
            recipients=[(person, Category.MODERATION, "A moderator approved your post") for person in people],
        )

    wait_for("the batch to be half sent", lambda: started.exists() and started.stat().st_size >= 5)
    os.killpg(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    sent_before = Notification.objects.filter(event_key="test:batch", email_status=EmailStatus.SENT).count()
    assert 0 < sent_before < len(people), "the worker was not killed mid-batch"

    time.sleep(1.5)
    second = start_worker(TEST_SWEEP_AFTER=1, TEST_QUEUE_LEASE=1)
    notifications_sweep.delay()

    messages = second.wait_for_emails(count=len(people))
    time.sleep(2)
    messages = second.wait_for_emails(count=len(people))
    recipients = sorted(message["To"] for message in messages)
    assert recipients == sorted(person.email for person in people), "each person exactly once"
    assert set(Notification.objects.filter(event_key="test:batch").values_list("email_status", flat=True)) == {
        EmailStatus.SENT
    }
    assert settings.REDIS_URL
