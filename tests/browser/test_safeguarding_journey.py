"""A moderator meets an at-risk post: the queue says why and how long, the item offers a supportive
message and a referral, and the safeguarding lead reads the log. axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Notification
from forums import services
from forums.models import Board
from forums.moderation.models import SafeguardingEntry
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ModeratorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_moderator_supports_the_person_records_a_referral_and_the_lead_reads_the_log(page, sign_in, context):
    board = Board.objects.get(programme__slug="mental-health", slug="general")
    joined = timezone.now() - timedelta(days=30)
    thread = services.thread_create(actor=UserFactory(date_joined=joined), board=board, title="Winter", body="How do you cope?")
    person = UserFactory(date_joined=joined, display_name="Rae Lowe")
    services.comment_post(actor=person, thread=thread, body="I don’t want to be here any more")
    moderator = ModeratorFactory(display_name="Jo Moderates")

    sign_in(moderator)
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("Moderation 1 waiting for review"))).to_be_visible()
    page.goto("/moderation/")
    expect(page.get_by_text("Screening: crisis language")).to_be_visible()
    expect(page.get_by_text("I don’t want to be here any more")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Comment by Rae Lowe").click()
    expect(page.get_by_role("heading", name="Safeguarding")).to_be_visible()
    expect(page.get_by_role("link", name="safeguarding procedure")).to_have_attribute("href", re.compile("^https://"))
    assert_no_axe_violations(page)
    page.get_by_text("Send Rae Lowe a supportive message").click()
    expect(page.get_by_label("Message to the person")).to_have_value(re.compile("^Hello Rae Lowe"))
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("It is recorded in the safeguarding log")).to_be_visible()

    page.get_by_text("Record a safeguarding referral").click()
    page.get_by_role("button", name="Record referral").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter who you referred the person to")
    assert_no_axe_violations(page)
    page.get_by_label("Referred to").fill("Islington adult safeguarding team")
    page.get_by_label("Their reference (optional)").fill("ASG-77")
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_text("It is recorded in the safeguarding log")).to_be_visible()
    assert SafeguardingEntry.objects.filter(kind="referral", reference="ASG-77", actor=moderator).exists()
    assert Notification.objects.filter(recipient=person, title="A message from the Talk Health moderators").exists()

    assert page.request.get("/moderation/safeguarding/").status == 404, "moderators do not read the log"

    context.clear_cookies()
    sign_in(UserFactory(roles=["safeguarding"], display_name="Lee Lead"))
    page.goto("/moderation/safeguarding/")
    expect(page.get_by_role("heading", name="Safeguarding log")).to_be_visible()
    expect(page.get_by_text("Referred to Islington adult safeguarding team, reference ASG-77")).to_be_visible()
    expect(page.get_by_text("Sent a supportive message")).to_be_visible()
    assert_no_axe_violations(page)


def test_opening_moderate_on_a_post_asks_before_it_opens_an_item(page, sign_in):
    board = Board.objects.get(programme__slug="cancer", slug="general")
    thread = services.thread_create(actor=UserFactory(), board=board, title="Scans", body="Waiting times?")
    sign_in(ModeratorFactory())
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Moderate")).click()
    expect(page.get_by_role("heading", name="Nothing is waiting about this post")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Open it for review").click()
    expect(page.get_by_text("Opened by a moderator; no reports.")).to_be_visible()
