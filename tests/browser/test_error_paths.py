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


def test_a_reply_with_personal_details_is_refused_in_place_with_focus_on_the_summary(as_person):
    thread = _thread()
    page = as_person(Established())
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Your reply").fill("My NHS number is 943 476 5919, can anyone help?")
    page.get_by_role("button", name="Post reply").click()
    _expect_focused_error(page, "NHS number")
    expect(page.get_by_role("textbox", name="Your reply")).to_have_value("My NHS number is 943 476 5919, can anyone help?")
    _axe(page)

    page.get_by_role("textbox", name="Your reply").fill("")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".nhsuk-error-message").first).to_be_visible()


def test_an_edit_emptied_shows_its_error_summary(as_person):
    thread = _thread()
    author = Established()
    comment = services.comment_post(actor=author, thread=thread, body="First thoughts.")
    page = as_person(author)
    page.goto(f"/comments/{comment.pk}/edit/")
    page.get_by_role("textbox").first.fill("")
    page.get_by_role("button", name=re.compile("Save|Update")).click()
    _expect_focused_error(page, "There is a problem")
    _axe(page)


def test_a_vote_without_a_choice_is_refused_in_place(as_person):
    from tests.factories import StaffFactory
    from tests.programmes.staff.factories import open_poll

    poll = open_poll(StaffFactory())
    page = as_person(Established())
    page.goto(poll.get_absolute_url())
    page.wait_for_load_state()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator(".nhsuk-error-message").first).to_be_visible()
    if page.javascript:
        expect(page.get_by_role("radio").first).to_be_focused()
        assert page.url.endswith(poll.get_absolute_url())
    _axe(page)


def test_booking_a_place_that_has_just_gone_shows_why(as_person):
    from programmes.events import services as event_services
    from tests.factories import StaffFactory
    from tests.programmes.staff.factories import upcoming_event

    event = upcoming_event(StaffFactory(), capacity=1)
    page = as_person(Established())
    page.goto(event.get_absolute_url())
    event_services.event_attend(actor=Established(), event=event)
    page.get_by_role("button", name="I'll attend").click()
    _expect_focused_error(page, "fully booked")
    _axe(page)


def test_a_like_refused_for_a_suspended_person_says_why_in_place(as_person):
    thread = _thread()
    comment = services.comment_post(actor=Established(display_name="Ola Writer"), thread=thread, body="Nine months.")
    person = Established()
    moderation.user_suspend(actor=ModeratorFactory(), user=person, days=3, reason="Abuse")
    page = as_person(person)
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    page.locator(f"#comment-{comment.pk}").get_by_role("button", name=re.compile("^Like")).click()
    _expect_focused_error(page, "suspended your posting until")
    if page.javascript:
        assert page.url.endswith(thread.get_absolute_url()), "refused in place, not on another page"
        expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for therapy")
    _axe(page)


def test_the_urgent_help_card_meets_the_person_after_posting_crisis_words(as_person):
    thread = _thread()
    page = as_person(Established())
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Your reply").fill("Honestly I can’t go on")
    page.get_by_role("button", name="Post reply").click()
    card = page.locator("#urgent-help")
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    expect(card.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(card.get_by_role("link", name="85258")).to_have_attribute("href", "sms:85258?body=SHOUT")
    expect(page.locator(".th-comment").filter(has_text="I can’t go on")).to_have_count(1)
    _axe(page)


def test_under_debug_an_htmx_error_still_shows_in_place_rather_than_replacing_the_page(page, sign_in, settings):
    """django-htmx's DEBUG script replaces the whole page with any 400 answer; ours must win."""
    settings.DEBUG = True
    thread = _thread()
    comment = services.comment_post(actor=Established(display_name="Ola Writer"), thread=thread, body="Nine months.")
    sign_in(Established())
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    assert page.locator("script[src*='django-htmx']").count() == 1, "the DEBUG script is on the page"
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile("^Report")).click()
    page.get_by_role("button", name="Send report").click()
    summary = page.locator(".th-report-form .nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for therapy")
