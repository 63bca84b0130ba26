"""Where focus goes after something changes in place, and replies that keep their parent."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from forums import services
from forums.models import Board, Comment
from tests.browser.axe import assert_no_axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 1000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 1000)]


def _established(**kwargs):
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)


def _thread_with_a_comment():
    author = _established(display_name="Sam Reid")
    board = Board.objects.get(programme__slug="primary-care", slug="general")
    thread = services.thread_create(actor=author, board=board, title="Evening GP slots", body="More please.")
    first = services.comment_post(actor=author, thread=thread, body="Any evening at all would help.")
    return thread, first


def test_focus_stays_on_follow_and_moves_to_a_reply_posted_in_place(page, sign_in):
    thread, first = _thread_with_a_comment()
    sign_in(_established(display_name="Noor Ali"))
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()

    page.get_by_role("button", name="Follow this discussion").click()
    expect(page.get_by_role("button", name="Unfollow this discussion")).to_be_focused()
    page.get_by_role("button", name="Unfollow this discussion").click()
    expect(page.get_by_role("button", name="Follow this discussion")).to_be_focused()

    expect(page.locator("#replies-heading")).to_have_text("1 reply")
    slot = page.locator(f"#reply-slot-{first.pk}")
    page.locator(f"#comment-{first.pk}").get_by_role("link", name=re.compile("^Reply")).click()
    slot.locator("textarea").fill("After six would suit me.")
    slot.get_by_role("button", name="Post reply").click()
    expect(slot).to_contain_text("After six would suit me.")
    nested = Comment.objects.get(body="After six would suit me.")
    expect(page.locator(f"#comment-{nested.pk}")).to_be_focused()
    expect(page.locator("#replies-heading")).to_have_text("2 replies")

    page.get_by_label("Your reply", exact=True).fill("A top-level thought.")
    page.locator("#reply-form").get_by_role("button", name="Post reply").click()
    expect(page.locator("#comment-list")).to_contain_text("A top-level thought.")
    top = Comment.objects.get(body="A top-level thought.")
    expect(page.locator(f"#comment-{top.pk}")).to_be_focused()
    expect(page.locator("#replies-heading")).to_have_text("3 replies")
    assert_no_axe_violations(page)


def test_an_empty_reply_in_place_keeps_its_parent(page, sign_in):
    thread, first = _thread_with_a_comment()
    sign_in(_established())
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()

    slot = page.locator(f"#reply-slot-{first.pk}")
    page.locator(f"#comment-{first.pk}").get_by_role("link", name=re.compile("^Reply")).click()
    slot.get_by_role("button", name="Post reply").click()
    expect(slot.locator(".nhsuk-error-message")).to_be_visible()
    slot.locator("textarea").fill("Now with words.")
    slot.get_by_role("button", name="Post reply").click()
    expect(slot).to_contain_text("Now with words.")

    assert Comment.objects.get(body="Now with words.").parent_id == first.pk


def test_an_empty_reply_without_javascript_keeps_its_parent(browser, live_server):
    thread, first = _thread_with_a_comment()
    client = Client()
    client.force_login(_established())
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"/comments/{first.pk}/reply/")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Sam Reid")
    page.get_by_label("Your reply").fill("Posted at the second try.")
    page.get_by_role("button", name="Post reply").click()

    assert Comment.objects.get(body="Posted at the second try.").parent_id == first.pk
    context.close()


def test_the_report_form_in_place_focuses_the_reasons_first(page, sign_in):
    thread, first = _thread_with_a_comment()
    sign_in(_established())
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()

    page.locator(f"#comment-{first.pk}").get_by_role("link", name=re.compile("^Report")).click()

    expect(page.locator(f"#reply-slot-{first.pk} input[type=radio]").first).to_be_focused()
