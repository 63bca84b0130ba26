"""The outbox: every email and background job is a row written with the write that asked for it,
queued on commit, run once, retried with backoff, and swept up when the broker or a worker fails."""

import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport
from programmes.reports.models import DiscussionExport
from talkhealth import outbox
from talkhealth.celery import app as celery_app
from talkhealth.models import OutboxJob
from tests.factories import StaffFactory, UserFactory
from tests.talkhealth.conftest import redis_down

pytestmark = pytest.mark.django_db

Status = OutboxJob.Status
RUNS: list[int] = []


@shared_task(name="tests.outbox_record")
def record(number: int) -> None:
    RUNS.append(number)


@shared_task(name="tests.outbox_fail")
def fail(number: int) -> None:
    RUNS.append(number)
    raise OSError("the mail server said no")


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()


@contextmanager
def broker_down():
    """Not eager, and publishing to a port where nothing listens, as if Redis were stopped."""
    conf = celery_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = False
    try:
        with redis_down():
            yield
    finally:
        conf.task_always_eager = saved


def test_a_job_runs_once_its_transaction_commits_and_forgets_its_arguments(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = outbox.job_enqueue("tests.outbox_record", 7)
        assert RUNS == []

    job.refresh_from_db()
    assert RUNS == [7]
    assert (job.status, job.attempts, job.args) == (Status.DONE, 1, [])
    assert job.finished_at is not None


def test_a_job_that_already_ran_does_not_run_again():
    job = OutboxJob.objects.create(task="tests.outbox_record", args=[1])

    outbox.job_run(job_id=job.pk)
    outbox.job_run(job_id=job.pk)

    assert RUNS == [1]


def test_a_failed_job_waits_out_a_backoff_and_is_given_up_after_the_last_attempt(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    job = OutboxJob.objects.create(task="tests.outbox_fail", args=[3])

    with pytest.raises(OSError):
        outbox.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.PENDING, 1)
    assert job.error == "OSError: the mail server said no"
    assert job.due_at > timezone.now() + timedelta(seconds=settings.OUTBOX_RETRY_SECONDS - 5)
    assert outbox.job_run(job_id=job.pk) is None, "not due yet"

    OutboxJob.objects.filter(pk=job.pk).update(due_at=timezone.now())
    with pytest.raises(OSError):
        outbox.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.FAILED, 2)
    assert RUNS == [3, 3]


def test_backoff_doubles_up_to_its_cap(settings):
    settings.OUTBOX_RETRY_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 30, 100

    assert [outbox.backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_the_sweep_runs_what_was_never_queued_and_what_a_dead_worker_left_running():
    old = timezone.now() - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 5)
    never_queued = OutboxJob.objects.create(task="tests.outbox_record", args=[1], due_at=old)
    left_running = OutboxJob.objects.create(
        task="tests.outbox_record", args=[2], status=Status.RUNNING, started_at=old, attempts=1
    )
    just_asked = OutboxJob.objects.create(task="tests.outbox_record", args=[3])
    finished_long_ago = OutboxJob.objects.create(
        task="tests.outbox_record", status=Status.DONE, finished_at=old - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    )

    outbox.jobs_sweep(now=timezone.now() + timedelta(seconds=1))

    assert sorted(RUNS) == [1, 2]
    assert OutboxJob.objects.get(pk=never_queued.pk).status == Status.DONE
    assert OutboxJob.objects.get(pk=left_running.pk).attempts == 2
    assert OutboxJob.objects.get(pk=just_asked.pk).status == Status.PENDING, "its own on_commit will queue it"
    assert not OutboxJob.objects.filter(pk=finished_long_ago.pk).exists()


def test_with_the_broker_down_asking_for_ones_data_succeeds_and_the_sweep_does_it_later(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client.force_login(person)

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:export"))

    assert response.status_code == 302
    job = OutboxJob.objects.get(task="accounts.data_export_build")
    assert (job.status, job.queued_at) == (Status.PENDING, None)
    assert DataExport.objects.get(user=person).status == DataExport.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        outbox.jobs_sweep(now=timezone.now() + timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS + 1))

    assert DataExport.objects.get(user=person).status == DataExport.Status.READY
    [message] = mail.outbox
    assert message.to == [person.email] and "ready to download" in message.subject


def test_with_the_broker_down_a_staff_export_is_accepted_and_run_by_the_sweep(
    client, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:exports"), {"programme": ""})

    assert response.status_code == 302
    export = DiscussionExport.objects.get()
    assert export.status == DiscussionExport.Status.PENDING

    outbox.jobs_sweep(now=timezone.now() + timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS + 1))

    export.refresh_from_db()
    assert export.status == DiscussionExport.Status.DONE


BARE_QUEUEING = re.compile(r"\.(delay|apply_async|send_task)\(")


def test_nothing_reaches_celery_but_through_the_outbox():
    """`talkhealth.outbox.publish` is the one place work is handed to Celery; everything else asks it."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for app in ("talkhealth", "accounts", "forums", "programmes"):
        for path in (root / app).rglob("*.py"):
            if path == root / "talkhealth" / "outbox.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if BARE_QUEUEING.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
