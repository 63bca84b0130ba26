"""Offline voices in real Chromium: staff record a roadshow with five postcards, publish one into
a discussion where a resident sees the marker and replies, import a CSV with three bad rows and
read the report, and withdraw one contribution; every new page type is axe-clean."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Comment
from programmes.contributions.models import Consent, OfflineContribution
from tests.browser.axe import assert_no_axe_violations
from tests.factories import StaffFactory, UserFactory
from tests.forums.factories import ThreadFactory, general_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

POSTCARDS = [
    "Evening screening appointments, please.",
    "A screening van at the market on Saturdays.",
    "Letters in large print.",
    "Text reminders the day before.",
]
CSV = (
    "text,channel,consent,borough\n"
    "Screening at my GP surgery would be easier.,postcard,publish,brent\n"
    "Please let carers book for the person they look after.,phone,analysis,\n"
    ",postcard,publish,brent\n"
    "My number is 07700 900123,postcard,publish,brent\n"
    "Shorter waits for results.,carrier pigeon,maybe,narnia\n"
)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 1000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 1000)]


def test_staff_record_a_roadshow_publish_a_postcard_import_and_withdraw(page, context, sign_in):
    staff = StaffFactory(display_name="Kemi Adebayo")
    thread = ThreadFactory(board=general_board("cancer"), title="Making screening easier")
    sign_in(staff)

    page.goto("/staff/")
    page.get_by_role("link", name="Offline sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline sessions")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Kind of session").select_option(label="Roadshow")
    page.get_by_label("Title").fill("Brent roadshow")
    page.get_by_label("Cancer").check()
    page.get_by_label("Date").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_label("Borough (optional)").select_option(label="Brent")
    page.get_by_label("British Sign Language interpreter").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brent roadshow")
    assert_no_axe_violations(page)

    # Five postcards, from the keyboard: the text box has focus, and the choices stay set.
    page.get_by_label("How it was given").select_option(label="Postcard")
    page.get_by_label("What they said or wrote").focus()
    for text in POSTCARDS:
        expect(page.get_by_label("What they said or wrote")).to_be_focused()
        page.keyboard.type(text)
        page.get_by_role("button", name="Save and add another").click()
        expect(page.get_by_text("saved. Type the next one.")).to_be_visible()
        expect(page.get_by_label("How it was given")).to_have_value("postcard")
    page.get_by_label("What they said or wrote").fill("Ring me on 07700 900456 about it.")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("a phone number")
    assert_no_axe_violations(page)
    page.get_by_label("What they said or wrote").fill("Ring me on [removed] about it.")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.get_by_text("saved. Type the next one.")).to_be_visible()
    assert OfflineContribution.objects.filter(channel="postcard", consent=Consent.PUBLISH).count() == 5

    first = OfflineContribution.objects.get(text=POSTCARDS[0])
    page.get_by_role("link", name=f"Contribution {first.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contribution {first.pk}")
    assert_no_axe_violations(page)
    page.get_by_label("Discussion").select_option(label=f"{thread.title} (General discussion)")
    page.get_by_role("button", name="Publish in this discussion").click()
    marker = page.locator(".th-comment__offline")
    expect(marker).to_contain_text("Said at the Brent roadshow")
    expect(marker).to_contain_text("recorded by the partnership")

    context.clear_cookies()
    resident = UserFactory(display_name="Ruth Okafor", date_joined=timezone.now() - timedelta(days=30))
    sign_in(resident)
    page.goto(thread.get_absolute_url())
    first.refresh_from_db()
    placed = page.locator(f"#comment-{first.comment_id}")
    expect(placed).to_contain_text("Said at the Brent roadshow")
    expect(placed).to_contain_text(POSTCARDS[0])
    assert_no_axe_violations(page)
    page.wait_for_load_state()
    placed.get_by_role("link", name="Reply to what was said offline").click()
    slot = page.locator(f"#reply-slot-{first.comment_id}")
    slot.get_by_label("Your reply").fill("Yes! Evenings would help me too.")
    slot.get_by_role("button", name="Post reply").click()
    expect(page.locator("#comment-list")).to_contain_text("Yes! Evenings would help me too.")
    reply = Comment.objects.get(body="Yes! Evenings would help me too.")
    assert reply.parent_id == first.comment_id

    context.clear_cookies()
    sign_in(staff)
    session = first.session
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="Import contributions from a file").click()
    assert_no_axe_violations(page)
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "roadshow-extra.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("5 rows: 2 ready to import")).to_be_visible()
    problems = page.get_by_role("table", name="Problems found")
    expect(problems).to_contain_text("Enter what the person said or wrote.")
    expect(problems).to_contain_text("a phone number")
    expect(problems).to_contain_text("Choose a London borough")
    assert_no_axe_violations(page)
    assert OfflineContribution.objects.count() == 5, "nothing is saved before the choice"
    page.get_by_label("Import the valid rows now").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Imported 2 contributions")).to_be_visible()
    assert_no_axe_violations(page)
    assert OfflineContribution.objects.count() == 7

    withdrawn = OfflineContribution.objects.get(text=POSTCARDS[0])
    page.goto(withdrawn.get_absolute_url())
    page.get_by_role("link", name="Record that the person withdrew consent").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Withdraw and delete the words").click()
    expect(page.get_by_text("Consent withdrawn: the words have been deleted everywhere.")).to_be_visible()
    expect(page.get_by_text("Consent withdrawn by Kemi Adebayo")).to_be_visible()
    page.goto(thread.get_absolute_url())
    expect(page.locator("#comment-list")).not_to_contain_text(POSTCARDS[0])
    expect(page.locator("#comment-list")).to_contain_text("Yes! Evenings would help me too.")
