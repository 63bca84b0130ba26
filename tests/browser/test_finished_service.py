"""Issue 14's journeys in real Chromium: authors editing their own discussion, sorted thread lists,
a half-written draft with the NHS.UK date input, and the event waiting list; axe on each new page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums import services
from forums.models import Board, Thread, ThreadRevision
from programmes.events import services as event_services
from programmes.updates.models import Update
from tests.browser.axe import assert_no_axe_violations
from tests.factories import StaffFactory, UserFactory
from tests.programmes.staff.factories import upcoming_event

from tests.browser.test_focus import _established, no_rate_limits  # noqa: F401  (an autouse fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_author_edits_their_discussion_reads_its_history_and_deletes_it(page, sign_in):
    author = _established(display_name="Ruth Okafor")
    board = Board.objects.get(programme__slug="cancer", slug="general")
    thread = services.thread_create(actor=author, board=board, title="My letter", body="It came late.")
    sign_in(author)

    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Edit your discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your discussion")
    assert_no_axe_violations(page)
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    page.get_by_label("Title").fill("Screening letters arrive late")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Screening letters arrive late")
    page.get_by_role("link", name="Edit history of this discussion").click()
    expect(page.locator("main")).to_contain_text("My letter")
    assert_no_axe_violations(page)

    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Delete your discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your discussion?")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Delete discussion").click()
    expect(page.get_by_text("Your discussion has been deleted.")).to_be_visible()
    assert not Thread.objects.filter(pk=thread.pk).exists() and not ThreadRevision.objects.exists()


def test_a_board_sorts_its_discussions_without_javascript(browser, live_server):
    author = _established()
    board = Board.objects.get(programme__slug="digital", slug="general")
    answered = services.thread_create(actor=author, board=board, title="Answered already", body="Hello?")
    services.comment_post(actor=_established(), thread=answered, body="Hello!")
    services.thread_create(actor=author, board=board, title="Nobody answered yet", body="Anyone?")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()

    page.goto(board.get_absolute_url())
    page.get_by_label("Sort discussions by").select_option(label="Unanswered")
    page.get_by_role("button", name="Sort").click()

    expect(page.locator(".th-thread-list")).to_contain_text("Nobody answered yet")
    expect(page.locator(".th-thread-list")).not_to_contain_text("Answered already")
    context.close()


def test_staff_save_a_half_written_draft_and_schedule_it_with_the_date_input(page, sign_in):
    sign_in(StaffFactory())
    page.goto("/staff/updates/new/")
    page.get_by_label("Programme").select_option(label="Cancer")
    page.get_by_label("Title").fill("Evening screening clinics")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("The update has been saved as a draft.")).to_be_visible()

    page.get_by_label("Summary").fill("Clinics will open until 8pm.")
    page.get_by_label("Update", exact=True).fill("From June, three clinics open until 8pm.")
    when = timezone.localtime() + timedelta(days=2)
    group = page.get_by_role("group", name="Publish on (to schedule)")
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))
    group.get_by_label("Time").fill("9am")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Schedule").click()

    expect(page.get_by_text("The update is scheduled.")).to_be_visible()
    assert timezone.localtime(Update.objects.get().publish_at).hour == 9


def test_a_resident_joins_the_waiting_list_of_a_full_event(page, sign_in):
    staff = StaffFactory()
    event = upcoming_event(staff, capacity=1)
    event_services.event_attend(actor=UserFactory(), event=event)
    sign_in(_established())

    page.goto(event.get_absolute_url())
    page.get_by_label("Is there anything you need to take part? (optional)").fill("A hearing loop")
    page.get_by_role("button", name="Join the waiting list").click()

    expect(page.get_by_text("You are on the waiting list.", exact=False).first).to_be_visible()
    assert_no_axe_violations(page)
    assert event.waiting.get().access_needs == "A hearing loop"
