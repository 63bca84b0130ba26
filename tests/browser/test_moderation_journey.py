"""Reports reach the threshold, a moderator hides the comment, the author appeals, another moderator decides."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums import services
from forums.models import Board, Comment, Visibility
from forums.moderation.models import Appeal, ModerationConfig
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ModeratorFactory, UserFactory


def Established(**kwargs):
    """A resident past the new-account limits (joined a month ago)."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _report_in_browser(browser, live_server, person, comment_pk):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    context = browser.new_context(base_url=live_server.url)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"/comments/{comment_pk}/")
    page.locator(f"#comment-{comment_pk}").get_by_role("link", name=re.compile("^Report")).click()
    page.get_by_label("Abusive or offensive").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("A moderator will look at your report")).to_be_visible()
    context.close()


def test_report_threshold_hide_with_reason_appeal_and_reversal(browser, live_server, context, page, sign_in):
    ModerationConfig.objects.update_or_create(pk=1, defaults={"report_threshold": 2, "premoderated_posts": 0})
    author = Established(display_name="Chris Mayo")
    board = Board.objects.get(programme__slug="mental-health", slug="general")
    thread = services.thread_create(actor=Established(), board=board, title="Crisis teams", body="Experiences?")
    comment = services.comment_post(actor=author, thread=thread, body="The crisis team were useless idiots.")

    for reporter in (Established(), Established()):
        _report_in_browser(browser, live_server, reporter, comment.pk)
    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.HIDDEN

    anonymous = browser.new_context(base_url=live_server.url).new_page()
    anonymous.goto(thread.get_absolute_url())
    expect(anonymous.get_by_text("This comment is hidden while a moderator reviews it")).to_be_visible()
    anonymous.context.close()

    first_moderator = ModeratorFactory(display_name="Jo Moderates")
    sign_in(first_moderator)
    page.goto("/moderation/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Comment by Chris Mayo").click()
    page.get_by_label("Hide it").check()
    page.get_by_label("House rule broken (for hide or remove)").select_option(label="1. Be kind and respectful")
    page.get_by_label("Reason").first.fill("Name-calling staff breaks the house rules.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("The action is recorded in the audit log")).to_be_visible()
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    sign_in(author)
    page.goto(thread.get_absolute_url())
    expect(page.get_by_text("The crisis team were useless idiots.")).to_be_visible()
    decision = author.moderation_received.get(kind="hide")
    page.goto(f"/moderation/decisions/{decision.pk}/")
    expect(page.get_by_text("1. Be kind and respectful")).to_be_visible()
    page.get_by_label("Why do you think the decision was wrong?").fill("I was angry, but it was about the service.")
    page.get_by_role("button", name="Send appeal").click()
    expect(page.get_by_text("A different moderator will decide")).to_be_visible()
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    sign_in(first_moderator)
    appeal = Appeal.objects.get()
    page.goto(f"/moderation/appeals/{appeal.pk}/")
    expect(page.get_by_text("a different moderator must decide this appeal")).to_be_visible()

    page.context.clear_cookies()
    sign_in(ModeratorFactory(display_name="Pat Second"))
    page.goto("/moderation/appeals/")
    page.get_by_role("link", name=re.compile("Chris Mayo appeals")).click()
    page.get_by_label("Reverse: undo the original decision").check()
    page.get_by_label("Reason").fill("Criticism of a service is allowed.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("The appeal is decided")).to_be_visible()

    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.PUBLISHED
    assert Appeal.objects.get().status == "reversed"


def test_a_scoped_moderator_pins_and_locks_from_the_discussion_with_a_reason(page, sign_in):
    """The thread page links to the moderation page, which asks for a reason and writes the audit log;
    outside their programme the moderator is offered nothing."""
    from forums.moderation.models import ModerationAction, ModeratorScope
    from programmes.models import Programme

    moderator = ModeratorFactory(display_name="Sam Scoped")
    ModeratorScope.objects.create(moderator=moderator, programme=Programme.objects.get(slug="mental-health"))
    board = Board.objects.get(programme__slug="mental-health", slug="general")
    thread = services.thread_create(actor=Established(), board=board, title="Waiting lists", body="How long?")
    elsewhere = services.thread_create(
        actor=Established(), board=Board.objects.get(programme__slug="cancer", slug="general"),
        title="Screening letters", body="Has yours come?",
    )

    sign_in(moderator)
    page.goto(elsewhere.get_absolute_url())
    expect(page.get_by_role("link", name=re.compile("^Moderate"))).to_have_count(0)

    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Moderate this discussion")).click()
    page.get_by_role("button", name="Open it for review").click()  # GET never writes: the item is made here
    page.get_by_text("Lock, pin or move the discussion").click()
    thread_form = page.locator("form:has(input[name=form][value=thread])")
    thread_form.get_by_label("Pin to the top of its board").check()
    thread_form.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    thread_form.get_by_label("Pin to the top of its board").check()
    thread_form.locator("textarea[name=reason]").fill("The question most people ask first.")
    thread_form.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("The action is recorded in the audit log")).to_be_visible()

    entry = ModerationAction.objects.get()
    assert (entry.kind, entry.actor, entry.reason) == ("pin", moderator, "The question most people ask first.")
