"""The outbox with Redis and a real `celery worker` on the test database: with the broker down, a
person asking for their data, a staff export and an at-risk report all succeed, and the work is
done, once each, when the broker is back.

These run when REDIS_URL and a PostgreSQL DATABASE_URL are set (CI sets both; there, their absence
fails instead of skipping)."""

import time

import pytest
from django.urls import reverse

from accounts.models import DataExport
from forums.moderation.models import ReportReason
from programmes.reports.models import DiscussionExport
from talkhealth import outbox
from talkhealth.models import OutboxJob
from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from tests.forums.factories import CommentFactory

from .conftest import redis_down, wait_for, worker_running

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def outbox_worker(worker_services, tmp_path, settings):
    (tmp_path / "media").mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.talkhealth.worker_settings",
        "TEST_MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": settings.SECRET_KEY,
    }
    with worker_running(tmp_path, env) as worker:
        yield worker


def emails_to(worker, people) -> list:
    """The emails the worker has written to these people (the comment's own notification aside)."""
    addresses = {person.email for person in people}
    return [message for message in worker.emails() if message["To"] in addresses]


def test_with_redis_down_the_requests_succeed_and_the_work_is_done_once_when_it_is_back(outbox_worker, client):
    person, staff, moderator, reporter = UserFactory(), StaffFactory(), ModeratorFactory(), UserFactory()
    comment = CommentFactory()

    with redis_down():
        started = time.monotonic()
        client.force_login(person)
        assert client.post(reverse("accounts:export")).status_code == 302
        client.force_login(staff)
        assert client.post(reverse("staff:exports"), {"programme": ""}).status_code == 302
        client.force_login(reporter)
        report = client.post(
            reverse("forums:comment_report", args=[comment.pk]), {"reason": ReportReason.AT_RISK, "details": ""}
        )
        assert report.status_code == 302, report.content.decode()[:500]
        assert time.monotonic() - started < 20, "a dead broker must not hold the requests up"

    jobs = OutboxJob.objects.order_by("pk")
    assert sorted(jobs.values_list("task", flat=True)) == [
        "accounts.data_export_build", "forums.safety_alerts_send", "programmes.discussion_export_run",
    ]
    assert set(jobs.values_list("status", "queued_at")) == {(OutboxJob.Status.PENDING, None)}
    time.sleep(1.5)
    assert emails_to(outbox_worker, [person, moderator]) == [], "nothing can have been sent while Redis was down"

    assert outbox.publish("talkhealth.outbox_sweep")

    wait_for("the two emails", lambda: len(emails_to(outbox_worker, [person, moderator])) == 2, 60)
    subjects = {message["To"]: message["Subject"] for message in emails_to(outbox_worker, [person, moderator])}
    assert subjects[moderator.email] == "Talk Health: Urgent: someone may be at risk"
    assert subjects[person.email] == "Talk Health: your information is ready to download"
    wait_for("every job done", lambda: set(OutboxJob.objects.values_list("status", flat=True)) == {"done"}, 60)
    assert DataExport.objects.get(user=person).status == DataExport.Status.READY
    assert DiscussionExport.objects.get().status == DiscussionExport.Status.DONE

    outbox.publish("talkhealth.outbox_sweep")
    outbox.publish("talkhealth.outbox_sweep")
    time.sleep(3)
    assert len(emails_to(outbox_worker, [person, moderator])) == 2, "each email exactly once"
    # The three asked for while Redis was down, then the two emails they sent: each run once.
    assert OutboxJob.objects.filter(attempts=1).count() == OutboxJob.objects.count() == 5
    assert "Sweep: queueing 3 outbox job(s) again." in outbox_worker.log()
