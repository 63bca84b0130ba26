"""A resident's discussion journey in real Chromium, with JavaScript on (htmx) and off (plain forms)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums import services
from forums.models import Board, Comment, Thread
from tests.browser.axe import assert_no_axe_violations
from tests.factories import UserFactory


def Established(**kwargs):
    """A resident past the new-account limits (joined a month ago)."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_resident_starts_a_discussion_replies_in_place_likes_and_follows(page, sign_in):
    resident = Established(display_name="Ruth Okafor")
    sign_in(resident)

    page.goto("/programmes/cancer/")
    page.get_by_role("link", name="General discussion").click()
    page.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill("Screening letters arrive late")
    page.get_by_label("Your message").fill("Mine came *three weeks* after the date.")
    page.get_by_label("Tags (optional)").fill("Screening,  Letters ")
    page.get_by_role("button", name="Post discussion").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Screening letters arrive late")
    expect(page.locator(".th-body em")).to_have_text("three weeks")
    expect(page.get_by_role("link", name="screening")).to_be_visible()
    thread = Thread.objects.get()
    assert sorted(thread.tags.names()) == ["letters", "screening"]

    page.wait_for_load_state()  # htmx (a deferred script) must be listening before the reply is sent
    page.get_by_label("Your reply").fill("Same happened to my mum.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#comment-list")).to_contain_text("Same happened to my mum.")
    expect(page.get_by_label("Your reply")).to_have_value("")
    assert page.url.endswith(thread.get_absolute_url()), "the reply was posted in place, without a page load"

    other = Established(display_name="Dev Patel")
    reply = services.comment_post(actor=other, thread=thread, body="Ours too, in Brent.")
    page.reload()
    comment = page.locator(f"#comment-{reply.pk}")
    comment.get_by_role("button", name=re.compile("^Like")).click()
    expect(comment.get_by_role("button", name=re.compile("^Liked"))).to_have_attribute("aria-pressed", "true")
    expect(comment.locator(".th-like__count")).to_have_text("1 like")

    comment.get_by_role("link", name=re.compile("^Reply")).click()
    box = page.locator(f"#reply-slot-{reply.pk} textarea")
    expect(box).to_be_focused()
    box.fill("Did you ring them?")
    page.locator(f"#reply-slot-{reply.pk}").get_by_role("button", name="Post reply").click()
    expect(page.locator(f"#reply-slot-{reply.pk}")).to_contain_text("Did you ring them?")
    nested = Comment.objects.get(body="Did you ring them?")
    assert (nested.parent_id, nested.depth) == (reply.pk, 2)

    page.get_by_role("button", name=re.compile("^Unfollow")).click()
    expect(page.get_by_role("button", name=re.compile("^Follow"))).to_be_visible()
    assert_no_axe_violations(page)


def test_everything_still_works_with_javascript_off(browser, live_server):
    resident = Established(display_name="Noor Ali", email="noor@example.com")
    author = Established(display_name="Sam Reid")
    board = Board.objects.get(programme__slug="primary-care", slug="ideas")
    thread = services.thread_create(actor=author, board=board, title="Evening GP slots", body="More please.")
    first = services.comment_post(actor=author, thread=thread, body="Any evening at all would help.")

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("noor@example.com")
    page.get_by_label("Password", exact=True).fill("a-good-long-password")
    page.get_by_role("button", name="Sign in").click()

    page.goto(thread.get_absolute_url())
    page.locator(f"#comment-{first.pk}").get_by_role("link", name=re.compile("^Quote")).click()
    expect(page.get_by_label("Your reply")).to_have_value(re.compile(r"^> Any evening at all would help\."))
    page.get_by_label("Your reply").fill(page.get_by_label("Your reply").input_value() + "Agreed, after 6pm.")
    page.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(rf"{thread.get_absolute_url()}(\?page=1)?#comment-\d+$"))
    expect(page.locator(".th-comment-replies")).to_contain_text("Agreed, after 6pm.")

    page.locator(f"#comment-{first.pk}").get_by_role("button", name=re.compile("^Like")).click()
    expect(page.locator(f"#comment-{first.pk} .th-like__count")).to_have_text("1 like")
    context.close()


def test_a_permalink_to_a_comment_on_a_later_page_opens_that_page(page, settings):
    settings.FORUMS_COMMENTS_PER_PAGE = 3
    author = Established()
    board = Board.objects.get(programme__slug="digital", slug="general")
    thread = services.thread_create(actor=author, board=board, title="App logins", body="Which app?")
    people = [Established() for _ in range(7)]
    comments = [services.comment_post(actor=p, thread=thread, body=f"Reply number {i}") for i, p in enumerate(people)]

    page.goto(f"/comments/{comments[-1].pk}/")

    expect(page).to_have_url(re.compile(rf"\?page=3#comment-{comments[-1].pk}$"))
    expect(page.locator(f"#comment-{comments[-1].pk}")).to_be_in_viewport()
