"""The inbox, email preferences and unsubscribe pages in real Chromium: axe-clean, and each action
works with JavaScript (htmx) and without it."""

import re

import pytest
from playwright.sync_api import expect

from accounts import notifications
from accounts.models import Notification, NotificationPreference
from accounts.notifications import Category, Event, tokens
from tests.browser.axe import assert_no_axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def inbox_for(person, count=3):
    rows = []
    for n in range(count):
        rows.append(
            notifications.notification_create(
                recipient=person,
                category=[Category.REPLY, Category.MENTION, Category.FOLLOWED_THREAD][n % 3],
                title=f"Sam Lee replied to your comment in “Waiting times at my GP” ({n})",
                event=Event(
                    key=f"k:{n}",
                    url="/programmes/",
                    excerpt="I waited three weeks for an appointment, then they rang me the next day.",
                    section="Primary care",
                    topic="Waiting times at my GP",
                ),
            )
        )
    notifications.notification_mark_read(actor=person, notification=rows[0])
    return rows


def test_the_inbox_has_no_axe_violations_and_marks_read_in_place(page, sign_in):
    person = UserFactory()
    rows = inbox_for(person)
    sign_in(person)

    page.goto("/notifications/")
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    assert_no_axe_violations(page)

    page.locator(f"#notification-{rows[2].pk}").get_by_role("button", name=re.compile(r"^Mark as read")).click()
    expect(page.locator(f"#notification-{rows[2].pk} .th-notification__new")).to_have_count(0)
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    assert Notification.objects.get(pk=rows[2].pk).read_at is not None
    assert_no_axe_violations(page)


def test_mark_all_read_without_javascript(browser, live_server, sign_in):
    person = UserFactory()
    inbox_for(person)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.goto("/notifications/")
        page.get_by_role("button", name="Mark all as read").click()
        expect(page.get_by_text("2 notifications marked as read.")).to_be_visible()
        expect(page.get_by_text("You have no unread notifications.")).to_be_visible()
    finally:
        context.close()


def test_an_empty_inbox_has_no_axe_violations(page, sign_in):
    sign_in(UserFactory())
    page.goto("/notifications/")
    expect(page.get_by_text("Nothing yet.")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_preferences_page_has_no_axe_violations_and_saves(page, sign_in):
    person = UserFactory()
    sign_in(person)

    page.goto("/notifications/preferences/")
    assert_no_axe_violations(page)
    page.get_by_role("group", name=Category.MENTION.label).get_by_label("Off").check()
    page.get_by_role("button", name="Save email settings").click()

    expect(page.get_by_text("Your email settings have been saved.")).to_be_visible()
    assert NotificationPreference.objects.get(user=person, category=Category.MENTION).frequency == "off"
    assert_no_axe_violations(page)


def test_unsubscribe_pages_have_no_axe_violations(page):
    person = UserFactory()
    token = tokens.make(person.pk, [Category.FOLLOWED_THREAD])

    page.goto(f"/notifications/unsubscribe/{token}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You have unsubscribed")).to_be_visible()
    assert_no_axe_violations(page)
    assert NotificationPreference.objects.get(user=person).frequency == "off"

    page.goto(f"/notifications/unsubscribe/{token[:-4]}abcd/")
    expect(page.get_by_role("heading", name="This unsubscribe link does not work")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_inbox_on_a_phone(phone_page, live_server):
    person = UserFactory()
    inbox_for(person)
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    phone_page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    phone_page.goto("/notifications/")
    assert_no_axe_violations(phone_page)
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the inbox scrolls sideways on a phone ({width}px wide)"
