"""The error path of every htmx form, in real Chromium with JavaScript on (htmx) and off (plain
forms): the error shows in place, focus goes to it, and nothing replaces the page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from forums import services
from forums.models import Board
from forums.moderation import services as moderation
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ModeratorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def Established(**kwargs):
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 1000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 1000)]


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def as_person(request, browser, live_server):
    """`as_person(user)` gives a page signed in as `user`, with JavaScript on or off."""
    contexts = []

    def open_page(user):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=request.param)
        context.set_default_timeout(10_000)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.javascript = request.param
        return page

    yield open_page
    for context in contexts:
        context.close()


def _thread(**body):
    board = Board.objects.get(programme__slug="mental-health", slug="general")
    return services.thread_create(actor=Established(display_name="Sam Starter"), board=board,
                                  title="Waiting for therapy", body="How long did you wait?")


def _expect_focused_error(page, text):
    summary = page.locator(".nhsuk-error-summary").filter(has_text=text).first
    expect(summary).to_be_visible()
    if page.javascript:
        expect(summary).to_be_focused()


def _axe(page):
    """axe runs as a script in the page, so only where JavaScript is on; the page is the same without."""
    if page.javascript:
        assert_no_axe_violations(page)


def test_report_without_a_reason_then_a_duplicate_shows_errors_in_place(as_person):
    thread = _thread()
    comment = services.comment_post(actor=Established(display_name="Ola Writer"), thread=thread, body="Nine months.")
    page = as_person(Established())
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile("^Report")).click()
    page.get_by_role("button", name="Send report").click()
    _expect_focused_error(page, "There is a problem")
    expect(page.get_by_role("heading", name=re.compile("Traceback|Bad Request"))).to_have_count(0)
    _axe(page)

    page.get_by_role("radio", name="Something else").check()
    page.get_by_role("button", name="Send report").click()
    _expect_focused_error(page, "Tell us what is wrong")

    page.get_by_role("radio", name="Spam or advertising").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("A moderator will look at your report").first).to_be_visible()

    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile("^Report")).click()
    page.get_by_role("radio", name="Spam or advertising").check()
    page.get_by_role("button", name="Send report").click()
    _expect_focused_error(page, "already reported")
