"""Account email goes web process -> Redis -> a real Celery worker -> the worker's email backend."""

import re

import pytest
from allauth.account.models import EmailConfirmationHMAC
from django.core import mail
from django.urls import reverse

from accounts.models import User

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
