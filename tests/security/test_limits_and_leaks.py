"""Rate limits count people, not the proxy; admin sign-in is limited like any other; pages for
signed-in people stay out of shared caches; nothing unreleased or held leaks by id."""

import importlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport, Notification
from forums import services as forum_services
from forums.models import Visibility
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory
from tests.programmes.staff.factories import draft_update, open_poll

pytestmark = pytest.mark.django_db

WRONG = {"login": "sam@example.com", "password": "not-the-right-one"}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, ip, **data):
    return client.post(reverse("account_login"), {**WRONG, **data}, HTTP_X_REAL_IP=ip, REMOTE_ADDR="10.0.0.1")


def test_behind_a_proxy_failed_sign_ins_are_counted_per_client_not_for_everyone(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    UserFactory(email="sam@example.com", password="the-right-password")

    for _ in range(4):
        _sign_in(client, "203.0.113.5")
    attacker = _sign_in(client, "203.0.113.5")
    someone_else = _sign_in(client, "198.51.100.7", password="the-right-password")

    assert "tried to sign in too many times" in attacker.content.decode()
    assert someone_else.status_code == 302


def test_the_proxy_settings_come_from_the_environment(monkeypatch):
    import talkhealth.settings.base as base  # noqa: PLC0415

    monkeypatch.setenv("TRUSTED_CLIENT_IP_HEADER", "X-Real-IP")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    monkeypatch.setenv("ACCOUNTS_DATA_EXPORT_EVERY_HOURS", "6")
    configured = importlib.reload(base)
    assert (configured.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, configured.ALLAUTH_TRUSTED_PROXY_COUNT) == ("X-Real-IP", 2)
    assert configured.ACCOUNTS_DATA_EXPORT_EVERY_HOURS == 6
    monkeypatch.undo()
    default = importlib.reload(base)
    assert (default.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, default.ALLAUTH_TRUSTED_PROXY_COUNT) == (None, 0)


def test_admin_sign_in_is_limited_like_the_site_sign_in(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    UserFactory(email="admin@example.com", password="the-right-password", is_staff=True, is_superuser=True)
    url = reverse("admin:login")

    for _ in range(6):
        client.post(url, {"username": "admin@example.com", "password": "wrong-password"})
    right = client.post(url, {"username": "admin@example.com", "password": "the-right-password"})

    assert right.status_code == 200
    assert "tried to sign in too many times" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_still_works_with_the_right_password(client):
    UserFactory(email="admin@example.com", password="the-right-password", is_staff=True, is_superuser=True)

    response = client.post(reverse("admin:login"), {"username": "admin@example.com", "password": "the-right-password"})

    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_second_data_export_within_the_day_is_refused_with_when_to_ask_again(
    client, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:export"))
    assert DataExport.objects.get(user=resident).status == DataExport.Status.READY

    again = client.post(reverse("accounts:export"))

    assert again.status_code == 429
    assert "once every 24 hours" in again.content.decode() and "nhsuk-error-summary" in again.content.decode()
    assert DataExport.objects.filter(user=resident).count() == 1
    DataExport.objects.update(requested_at=timezone.now() - timedelta(hours=25))
    assert client.post(reverse("accounts:export")).status_code == 302


def test_pages_for_signed_in_people_are_private_and_every_page_has_a_csp(client, resident):
    anonymous = client.get(reverse("home"))
    client.force_login(resident)
    signed_in = client.get(reverse("home"))

    assert "private" not in anonymous.get("Cache-Control", "")
    assert "private" in signed_in["Cache-Control"]
    for response in (anonymous, signed_in):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_a_nul_byte_in_a_query_is_a_400_with_a_message_and_a_huge_id_a_404(client, staff):
    client.force_login(staff)

    for url in (reverse("moderation:queue"), "/staff/updates/new/"):
        response = client.get(url, {"programme": "cancer\x00"})
        assert response.status_code == 400
        assert "cannot be used" in response.content.decode()
    assert client.get(f"/threads/{'9' * 20}/").status_code == 404


def test_a_vote_for_a_20_digit_choice_is_refused_with_a_message(client, staff, resident):
    poll = open_poll(staff)
    client.force_login(resident)

    response = client.post(f"/programmes/{poll.programme.slug}/polls/{poll.pk}/vote/", {"choice": "9" * 20})

    assert response.status_code == 400
    assert "Choose from the answers given." in response.content.decode()


def test_a_poll_is_not_public_before_it_opens_or_while_its_update_is_a_draft(client, staff, resident):
    later = open_poll(staff, opens_at=timezone.now() + timedelta(days=2))
    draft = draft_update(staff, title="Secret plans")
    in_draft = open_poll(staff, update=draft)

    for poll in (later, in_draft):
        url = f"/programmes/{poll.programme.slug}/polls/{poll.pk}/"
        assert client.get(url).status_code == 404
        client.force_login(resident)
        assert client.get(url).status_code == 404
        client.force_login(staff)
        assert client.get(url).status_code == 200
        client.logout()


@pytest.mark.parametrize("visibility", [Visibility.HELD, Visibility.HIDDEN])
def test_nobody_can_reply_by_id_to_a_held_or_hidden_comment_nor_tell_its_author(
    client, settings, visibility, django_capture_on_commit_callbacks
):
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    thread = ThreadFactory()
    parent = CommentFactory(thread=thread, visibility=visibility)
    replier = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    client.force_login(replier)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:comment_create", args=[thread.pk]), {"body": "Found you", "parent": parent.pk}
        )

    assert response.status_code == 400
    assert not thread.comments.filter(body="Found you").exists()
    assert not Notification.objects.filter(recipient=parent.author).exists()


def test_changing_the_email_address_asks_for_the_password_and_tells_the_old_address(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="old@example.com", password="the-right-password")
    client.force_login(person)

    asked = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert asked.status_code == 302 and reverse("account_reauthenticate") in asked["Location"]
    assert not person.emailaddress_set.filter(email="new@example.com").exists()

    client.post(reverse("account_reauthenticate"), {"password": "the-right-password"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    new = person.emailaddress_set.get(email="new@example.com")
    new.verified = True
    new.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_primary": "", "email": "new@example.com"})

    person.refresh_from_db()
    assert person.email == "new@example.com"
    assert [m.to for m in mail.outbox] == [["old@example.com"]]
    assert "new@example.com" in mail.outbox[0].body
