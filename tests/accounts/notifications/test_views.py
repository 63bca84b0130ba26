"""The inbox, the header count, email preferences and unsubscribe pages."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import notifications
from accounts.models import Notification, NotificationPreference
from accounts.notifications import Category, Event, Frequency, tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


def notify(person, n=0, url="/comments/1/", category=Category.REPLY):
    return notifications.notification_create(
        recipient=person, category=category, title=f"Notification number {n}", event=Event(key=f"k:{n}", url=url)
    )


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def measure(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The inbox


def test_the_inbox_needs_signing_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_inbox_lists_newest_first_with_unread_marked(signed_in, resident):
    first, second = notify(resident, 1), notify(resident, 2)
    notifications.notification_mark_read(actor=resident, notification=first)

    body = signed_in.get(INBOX).content.decode()

    assert body.index("Notification number 2") < body.index("Notification number 1")
    assert body.count("th-notification--unread") == 1
    assert "You have 1 unread notification." in body
    assert f'href="/notifications/{second.pk}/"' in body


def test_nobody_sees_anyone_elses_notifications(signed_in):
    notify(UserFactory(), 1)
    assert "Notification number 1" not in signed_in.get(INBOX).content.decode()


@pytest.mark.parametrize("page", ["first", "last"])
@pytest.mark.parametrize("size", [3, 75])
def test_an_inbox_page_costs_five_queries_at_any_size(signed_in, resident, size, page, settings):
    for n in range(size):
        notify(resident, n)
    number = 1 if page == "first" else -(-size // settings.NOTIFICATIONS_PER_PAGE)
    # the session, the person, their groups (the header's Moderation link), the paginator's count, the rows
    assert measure(signed_in, f"{INBOX}?page={number}") == 5


def test_the_inbox_is_paginated(signed_in, resident, settings):
    for n in range(settings.NOTIFICATIONS_PER_PAGE + 1):
        notify(resident, n)

    first = signed_in.get(INBOX).content.decode()
    second = signed_in.get(f"{INBOX}?page=2").content.decode()

    assert "Notification number 0<" not in first and "Notification number 0<" in second
    assert "Page 2 of 2" in first


# The header


def test_the_header_shows_the_unread_count_to_the_signed_in(signed_in, resident):
    for n in range(3):
        notify(resident, n)

    header = signed_in.get("/house-rules/").content.decode()

    assert re.search(
        r'<a [^>]*href="/notifications/">Notifications <span class="th-count">3'
        r'<span class="nhsuk-u-visually-hidden"> unread</span></span></a>',
        header,
    )


def test_the_header_count_costs_no_query(signed_in, resident):
    before = measure(signed_in, "/house-rules/")
    for n in range(40):
        notify(resident, n)
    assert measure(signed_in, "/house-rules/") == before


def test_visitors_see_no_notifications_link(client):
    assert "/notifications/" not in client.get("/house-rules/").content.decode()


# Marking read


def test_opening_a_notification_marks_it_read_and_goes_straight_to_the_thing(signed_in, resident):
    row = notify(resident, url="/comments/42/")

    response = signed_in.get(f"/notifications/{row.pk}/")

    assert response.status_code == 302 and response["Location"] == "/comments/42/"
    row.refresh_from_db()
    assert row.read_at is not None
    resident.refresh_from_db()
    assert resident.unread_notification_count == 0


def test_opening_never_redirects_off_the_site(signed_in, resident):
    row = notify(resident, url="https://evil.example/")
    assert signed_in.get(f"/notifications/{row.pk}/")["Location"] == INBOX


def test_mark_read_without_javascript_posts_and_returns_to_the_page(signed_in, resident):
    row = notify(resident)

    response = signed_in.post(f"/notifications/{row.pk}/read/", {"next": f"{INBOX}?page=1"})

    assert response.status_code == 302 and response["Location"] == f"{INBOX}?page=1"
    assert Notification.objects.get(pk=row.pk).read_at is not None


def test_mark_read_with_htmx_swaps_the_item_and_the_header_count(signed_in, resident):
    row, _ = notify(resident, 1), notify(resident, 2)

    response = signed_in.post(f"/notifications/{row.pk}/read/", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert f'id="notification-{row.pk}"' in body and "th-notification--unread" not in body
    assert 'id="th-notifications-link"' in body and 'hx-swap-oob="true"' in body
    assert '<span class="th-count">1<span class="nhsuk-u-visually-hidden"> unread</span>' in body


def test_mark_read_is_a_post_with_a_csrf_token(resident):
    row = notify(resident)
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)

    assert client.get(f"/notifications/{row.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{row.pk}/read/").status_code == 403
    assert Notification.objects.get(pk=row.pk).read_at is None


def test_someone_elses_notification_is_not_found(signed_in):
    row = notify(UserFactory())
    assert signed_in.post(f"/notifications/{row.pk}/read/").status_code == 404
    assert signed_in.get(f"/notifications/{row.pk}/").status_code == 404


def test_mark_all_read(signed_in, resident):
    for n in range(3):
        notify(resident, n)

    response = signed_in.post("/notifications/read-all/", follow=True)

    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()
    resident.refresh_from_db()
    assert resident.unread_notification_count == 0


# Preferences


def test_the_preferences_page_shows_each_category_with_the_defaults_chosen(signed_in):
    body = signed_in.get(reverse("notifications:preferences")).content.decode()

    for category in Category:
        assert f'<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{category.label}' in body
    assert re.search(r'name="reply" value="immediately"[^>]*checked', body)
    assert re.search(r'name="followed_thread" value="daily"[^>]*checked', body)
    assert 'aria-current="page"' in body


def test_saving_preferences(signed_in, resident):
    data = {category: Frequency.IMMEDIATELY for category in Category.values}
    data[Category.MENTION] = Frequency.OFF
    data[Category.PROGRAMME_UPDATE] = Frequency.WEEKLY

    response = signed_in.post(reverse("notifications:preferences"), data, follow=True)

    assert "Your email settings have been saved." in response.content.decode()
    chosen = dict(NotificationPreference.objects.filter(user=resident).values_list("category", "frequency"))
    assert chosen[Category.MENTION] == Frequency.OFF and chosen[Category.PROGRAMME_UPDATE] == Frequency.WEEKLY


def test_a_missing_choice_is_an_error_on_the_page(signed_in):
    response = signed_in.post(reverse("notifications:preferences"), {"reply": "hourly"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Email notifications" in body and "nhsuk-error-summary" in body
    assert not NotificationPreference.objects.exists()


def test_the_unverified_are_told_no_email_goes_until_they_confirm(client, unverified):
    client.force_login(unverified)
    assert (
        "No emails are sent until you confirm your email address."
        in client.get(reverse("notifications:preferences")).content.decode()
    )


# Unsubscribe


def unsubscribe_url(person, categories=(Category.REPLY,)):
    return reverse("notifications:unsubscribe", kwargs={"token": tokens.make(person.pk, list(categories))})


def tampered(url: str) -> str:
    token = url.rstrip("/").rsplit("/", 1)[1]
    changed = token[:-2] + ("x" if token[-2] != "x" else "y") + token[-1]
    return url.replace(token, changed)


def frequencies(person):
    return dict(NotificationPreference.objects.filter(user=person).values_list("category", "frequency"))


def test_get_shows_a_confirmation_page_and_changes_nothing(client, resident):
    response = client.get(unsubscribe_url(resident))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Unsubscribe from these emails" in body and Category.REPLY.label in body
    assert '<button class="nhsuk-button"' in body and 'name="csrfmiddlewaretoken"' in body
    assert resident.email not in body
    assert frequencies(resident) == {}


def test_the_confirmation_button_unsubscribes_without_signing_in(resident):
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(resident, [Category.MENTION, Category.REPLY])
    page = client.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(url, {"csrfmiddlewaretoken": csrf})

    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert frequencies(resident) == {Category.MENTION: Frequency.OFF, Category.REPLY: Frequency.OFF}


def test_the_browser_form_needs_its_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    assert client.post(unsubscribe_url(resident)).status_code == 403
    assert frequencies(resident) == {}


def test_one_click_post_from_a_mail_client_needs_no_cookie_or_csrf_token(resident):
    """RFC 8058: the mail client posts "List-Unsubscribe=One-Click" to the header's URL."""
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        unsubscribe_url(resident),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert frequencies(resident) == {Category.REPLY: Frequency.OFF}


def test_a_tampered_token_is_refused_with_a_clear_page_and_changes_nothing(client, resident):
    url = tampered(unsubscribe_url(resident))

    response = client.get(url)
    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.content.decode()

    one_click = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 400
    assert frequencies(resident) == {}


def test_a_token_for_a_deleted_account_is_refused(client):
    gone = UserFactory()
    url = unsubscribe_url(gone)
    gone.delete()

    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
