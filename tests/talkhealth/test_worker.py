"""Account email goes web process -> Redis -> a real Celery worker -> the worker's email backend."""

import re

import pytest
from allauth.account.models import EmailConfirmationHMAC
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.urls import reverse

from accounts import emails
from accounts.models import User
from talkhealth.models import OutboxJob

from .conftest import wait_for, worker_running

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIGNUP = {
    "email": "worker.check@example.com",
    "display_name": "Worker Check",
    "borough": "",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}
CONFIRMATION_LINK = re.compile(r"http://testserver(/accounts/confirm-email/([^\s/]+)/)")


def test_signup_confirmation_email_is_delivered_by_a_real_worker_through_redis(celery_worker, client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302

    [message] = celery_worker.wait_for_emails(count=1)

    assert mail.outbox == [], "the email was sent in-process, not by the worker"
    assert message["To"] == "worker.check@example.com"
    assert message["Subject"].startswith("Talk Health: ")
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = CONFIRMATION_LINK.search(body)
    assert link, f"no confirmation link in:\n{body}"
    path, key = link.groups()
    assert EmailConfirmationHMAC.from_key(key).email_address.email == "worker.check@example.com"

    assert client.post(path).status_code == 302
    assert User.objects.get(email="worker.check@example.com").email_verified


def _worker_backends() -> list[tuple[int, object]]:
    """(pid, started) of every PostgreSQL backend on the test database but this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid"
        )
        return cursor.fetchall()


def _emails_through_the_worker(worker, first: int, count: int) -> None:
    for number in range(first, first + count):
        with transaction.atomic():
            emails.queue(EmailMessage("Hello", "Body", "from@example.com", [f"person{number}@example.com"]))
    worker.wait_for_emails(count=first + count)
    wait_for("the jobs marked done", lambda: not OutboxJob.objects.exclude(status=OutboxJob.Status.DONE).exists())


def test_a_prefork_worker_keeps_its_database_connection_from_task_to_task(worker_services, transactional_db, tmp_path):
    """Celery's Django fixup would close it around every task, a new PostgreSQL backend each time;
    CELERY_DB_REUSE_MAX and talkhealth.celery keep it as long as CONN_MAX_AGE allows."""
    with worker_running(tmp_path, pool="prefork") as worker:
        _emails_through_the_worker(worker, 0, 3)
        wait_for("the worker's connection to settle", lambda: len(_worker_backends()) == 1, timeout=10)
        [(pid, started)] = _worker_backends()

        _emails_through_the_worker(worker, 3, 3)

        assert _worker_backends() == [(pid, started)], "the worker opened a new connection for later tasks"

        # A kept connection that the server drops (a restart, a failover) is noticed by the health
        # check before the next task uses it: the task reconnects and runs.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        _emails_through_the_worker(worker, 6, 2)
        [(new_pid, _)] = _worker_backends()
        assert new_pid != pid
        assert "Traceback" not in worker.log()
