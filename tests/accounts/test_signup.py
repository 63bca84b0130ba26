import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "new.person@example.com",
    "display_name": "New Person",
    "borough": "lambeth",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def signup(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("account_signup"), {**GOOD, **changes})


def confirmation_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/", message.body).group(0)


def test_signup_creates_an_unverified_person_and_emails_a_confirmation_link(client, django_capture_on_commit_callbacks):
    response = signup(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert (user.display_name, user.borough, user.email_verified) == ("New Person", "lambeth", False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert confirmation_link(mail.outbox[0])


def test_confirming_the_email_marks_the_person_verified(client, django_capture_on_commit_callbacks):
    signup(client, django_capture_on_commit_callbacks)
    path = confirmation_link(mail.outbox[0]).split("testserver", 1)[1]

    assert client.get(path).status_code == 200
    response = client.post(path)

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.email_verified
    assert EmailAddress.objects.get(user=user).verified


def test_a_bad_confirmation_key_gets_a_clear_page_not_an_error(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")

    assert response.status_code == 200
    assert "expired or is invalid" in " ".join(response.content.decode().split())


def test_a_used_confirmation_link_does_not_confirm_twice(client, django_capture_on_commit_callbacks):
    signup(client, django_capture_on_commit_callbacks)
    path = confirmation_link(mail.outbox[0]).split("testserver", 1)[1]
    client.post(path)

    again = client.get(path)

    assert again.status_code == 200
    assert EmailAddress.objects.filter(email="new.person@example.com", verified=True).count() == 1


def test_signing_up_with_an_existing_address_answers_as_for_a_new_one_and_emails_the_owner(
    client, django_capture_on_commit_callbacks
):
    """Membership of a health forum is itself sensitive: sign-up must not say an address has an account."""
    UserFactory(email="new.person@example.com")

    existing = signup(client, django_capture_on_commit_callbacks, email="New.Person@example.com", display_name="Someone Else")
    client.cookies.clear()
    new = signup(client, django_capture_on_commit_callbacks, email="brand.new@example.com", display_name="Brand New")

    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"]) == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email__iexact="new.person@example.com").count() == 1
    assert not User.objects.filter(display_name="Someone Else").exists()
    owner_mail, new_mail = mail.outbox
    assert owner_mail.to == ["new.person@example.com"]
    assert "already" in owner_mail.body.lower() and "confirm-email" not in owner_mail.body
    assert new_mail.to == ["brand.new@example.com"] and confirmation_link(new_mail)
    page = client.get(existing["Location"]).content.decode()
    assert "already registered" not in page and "Check your email" in page


def test_display_name_taken_in_any_case_is_refused(client, django_capture_on_commit_callbacks):
    UserFactory(display_name="New Person")

    response = signup(client, django_capture_on_commit_callbacks, display_name="new  PERSON")

    assert response.status_code == 200
    assert "That display name is already taken" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.com").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"display_name": "x"}, "between 3 and 30 characters"),
        ({"display_name": "me@example.com"}, "must not be or contain an email address"),
        ({"display_name": "NHS Helpdesk"}, "must not suggest you speak for"),
        ({"password2": "something-different"}, "same password"),
        ({"borough": "atlantis"}, "Select your London borough from the list"),
    ],
)
def test_bad_signup_input_is_explained_and_keeps_what_was_typed(
    client, django_capture_on_commit_callbacks, changes, message
):
    response = signup(client, django_capture_on_commit_callbacks, **changes)

    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert message in body
    assert "New Person" in body or "display_name" in changes
    assert not User.objects.exists()


def test_signup_never_uses_the_email_as_the_public_name(client, django_capture_on_commit_callbacks):
    signup(client, django_capture_on_commit_callbacks)
    user = User.objects.get()
    assert "@" not in str(user)


def test_signup_email_is_still_sent_when_the_broker_is_down(client, django_capture_on_commit_callbacks, monkeypatch):
    from accounts import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)

    response = signup(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert confirmation_link(mail.outbox[0])


def test_after_signing_up_and_confirming_a_person_lands_where_they_started(client, django_capture_on_commit_callbacks):
    start = "/programmes/cancer/boards/general/?sort=newest"

    signed_up = signup(client, django_capture_on_commit_callbacks, next=start)
    path = confirmation_link(mail.outbox[0]).split("testserver", 1)[1]
    confirmed = client.post(path)

    # Sign-up answers alike for every address (it cannot sign anyone in); once confirmed, the optional
    # equality questions come first and then the page they started from.
    assert signed_up.url == reverse("account_email_verification_sent")
    assert confirmed.url == f"{reverse('accounts:equality')}?{urlencode({'next': start})}"


def test_only_a_page_on_this_site_is_returned_to_after_confirming(client, django_capture_on_commit_callbacks):
    signup(client, django_capture_on_commit_callbacks, next="https://elsewhere.example/")
    path = confirmation_link(mail.outbox[0]).split("testserver", 1)[1]

    assert "elsewhere" not in client.post(path).url
