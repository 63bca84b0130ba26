"""Partnership staff in real Chromium: draft, preview, schedule and publish an update, then a
resident replies to it; every new page type is axe-clean."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums import services as forum_services
from forums.models import Comment
from programmes.polls import services as poll_services
from programmes.reports.models import DiscussionExport
from programmes.updates import services as update_services
from programmes.updates.models import Update, UpdateStatus
from tests.browser.axe import assert_no_axe_violations
from tests.factories import StaffFactory, UserFactory
from tests.forums.factories import ThreadFactory, general_board
from tests.programmes.staff.factories import open_poll, published_update, upcoming_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_draft_preview_schedule_and_publish_an_update_and_a_resident_replies(page, context, sign_in):
    staff = StaffFactory(display_name="Kemi Adebayo")
    sign_in(staff)

    page.goto("/staff/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Write an update").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write an update")
    page.wait_for_load_state()  # htmx must be listening before the first keystroke
    page.get_by_label("Programme").select_option(label="Cancer")
    page.get_by_label("Title").fill("Screening letters will arrive sooner")
    page.get_by_label("Summary").fill("From June, letters go out a week earlier.")
    page.get_by_label("Tags (optional)").fill("screening")
    page.get_by_label("Update", exact=True).fill(
        "## What is changing\n\nYour CCG will send letters a week earlier.\n\n"
        "![The NHS logo](/static/dist/nhsuk/assets/images/nhsuk-icon-180.png)"
    )
    panel = page.locator("#plain-english")
    expect(panel).to_contain_text("Reading age")
    expect(panel.get_by_role("listitem")).to_have_text("CCG")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: this is how residents will see the update")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening letters will arrive sooner")
    expect(page.get_by_role("img", name="The NHS logo")).to_be_visible()
    assert not Update.objects.exists(), "a preview saves nothing"
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Change the update").click()
    page.wait_for_load_state()
    body = page.get_by_label("Update", exact=True)
    body.fill(body.input_value().replace("Your CCG", "Your clinical commissioning group (CCG)"))
    expect(panel).to_contain_text("No unexplained acronyms.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("The update has been saved as a draft.")).to_be_visible()
    update = Update.objects.get()

    when = timezone.localtime(timezone.now() + timedelta(days=1))
    publish_on = page.get_by_role("group", name="Publish on (to schedule)")
    publish_on.get_by_label("Day").fill(str(when.day))
    publish_on.get_by_label("Month").fill(str(when.month))
    publish_on.get_by_label("Year").fill(str(when.year))
    publish_on.get_by_label("Time").fill(when.strftime("%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("The update is scheduled.")).to_be_visible()
    update.refresh_from_db()
    assert update.status == UpdateStatus.SCHEDULED

    Update.objects.filter(pk=update.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert update_services.updates_publish_due() == 1
    page.reload()
    expect(page.get_by_text("Published", exact=True)).to_be_visible()
    page.get_by_role("link", name="See it on the site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening letters will arrive sooner")

    context.clear_cookies()
    resident = UserFactory(display_name="Ruth Okafor", date_joined=timezone.now() - timedelta(days=30))
    sign_in(resident)
    page.goto("/programmes/cancer/")
    page.get_by_role("link", name="Screening letters will arrive sooner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening letters will arrive sooner")
    assert_no_axe_violations(page)
    page.wait_for_load_state()  # htmx must be listening before the reply is sent
    page.get_by_label("Your reply").fill("Will this include bowel screening kits?")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#comment-list")).to_contain_text("Will this include bowel screening kits?")
    update.refresh_from_db()
    assert page.url.endswith(update.get_absolute_url()), "the reply was posted in place"
    assert Comment.objects.get().thread_id == update.thread_id


def test_staff_answer_officially_and_record_the_change(page, sign_in):
    staff = StaffFactory(display_name="Kemi Adebayo")
    thread = ThreadFactory(board=general_board("cancer"), title="Screening letters arrive late")
    update = published_update(staff, title="What we changed about screening letters")
    sign_in(staff)

    page.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Thank you: letters will now go out a week earlier.")
    page.get_by_label("Post as the official response from the Cancer team").check()
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".th-comment--official")).to_contain_text("Official response from the Cancer team")

    page.reload()
    expect(page.get_by_role("link", name="Read the official response from the Cancer team")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Set the status")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Set the status")
    assert_no_axe_violations(page)
    page.get_by_label("Led to a change").check()
    page.get_by_label("The update that records the change").select_option(label=update.title)
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_role("link", name="Read the update about the change this discussion led to")).to_be_visible()

    page.goto("/programmes/cancer/you-said-we-did/")
    expect(page.get_by_role("link", name="What we changed about screening letters")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.fixture
def staff_world(db):
    staff = StaffFactory()
    update = published_update(staff)
    poll = open_poll(staff, update=update)
    voter = UserFactory(borough="croydon")
    poll_services.poll_vote(actor=voter, poll=poll, choice_ids=[poll.choices.first().pk])
    event = upcoming_event(staff, capacity=20)
    thread = ThreadFactory(board=general_board("cancer"))
    forum_services.comment_post(actor=staff, thread=thread, body="Our answer.", official=True)
    export = DiscussionExport.objects.create(
        requested_by=staff, total_rows=10, rows_done=4, status=DiscussionExport.Status.RUNNING
    )
    return {"staff": staff, "update": update, "poll": poll, "event": event, "export": export, "voter": voter}


PUBLIC = [
    "{update}",
    "/programmes/cancer/updates/",
    "/updates/",
    "{poll}",
    "{event}",
    "/programmes/cancer/events/",
    "/events/",
    "/programmes/cancer/you-said-we-did/",
]
STAFF = [
    "/staff/updates/",
    "/staff/updates/{update_pk}/",
    "/staff/polls/",
    "/staff/polls/{poll_pk}/",
    "/staff/events/",
    "/staff/events/{event_pk}/",
    "/staff/reports/",
    "/staff/exports/",
    "/staff/exports/{export_pk}/",
]


def _urls(world, paths):
    values = {
        "update": world["update"].get_absolute_url(),
        "poll": world["poll"].get_absolute_url(),
        "event": world["event"].get_absolute_url(),
        "update_pk": world["update"].pk,
        "poll_pk": world["poll"].pk,
        "event_pk": world["event"].pk,
        "export_pk": world["export"].pk,
    }
    return [path.format(**values) for path in paths]


def test_every_new_public_page_type_is_axe_clean(page, sign_in, staff_world):
    for url in _urls(staff_world, PUBLIC):
        page.goto(url)
        assert_no_axe_violations(page)
    sign_in(staff_world["voter"])
    for url in _urls(staff_world, ["{poll}", "{event}"]):
        page.goto(url)
        assert_no_axe_violations(page)


def test_every_staff_page_type_is_axe_clean(page, sign_in, staff_world):
    sign_in(staff_world["staff"])
    for url in _urls(staff_world, STAFF):
        page.goto(url)
        assert_no_axe_violations(page)
