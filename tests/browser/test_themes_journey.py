"""Partnership staff find, code and count themes in real Chromium, then close the loop: discovery,
two themes accepted and renamed, ten items coded (some by keyboard), suggestions confirmed, a theme
linked to an update and its contributors told. axe runs on every theme page type."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Notification, User
from programmes.models import Programme
from programmes.themes import services
from programmes.themes.models import Coding, CodingStatus, Theme
from tests.browser.axe import assert_no_axe_violations
from tests.factories import StaffFactory
from tests.programmes.staff.factories import published_update
from tests.programmes.staff.themes.conftest import seed_planted


def themes_nav(page, name):
    return page.get_by_role("navigation", name="Themes for Cancer").get_by_role("link", name=name, exact=True)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_discover_accept_code_confirm_and_close_the_loop(page, sign_in):
    cancer = Programme.objects.get(slug="cancer")
    planted = seed_planted(cancer, per_theme=30)
    staff = StaffFactory(display_name="Kemi Adebayo")
    update = published_update(staff, "cancer", title="Evening GP appointments")
    sign_in(staff)

    page.goto("/staff/")
    page.get_by_role("link", name="Themes").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Cancer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codebook")
    expect(page.locator(".th-progress-text")).to_contain_text("0 of 155")
    assert_no_axe_violations(page)

    themes_nav(page, "Discovery").click()
    assert_no_axe_violations(page)
    page.get_by_label("Number of themes (optional)").fill("5")
    page.get_by_role("button", name="Run discovery").click()
    expect(page.get_by_text(re.compile(r"Finished: 155 contributions"))).to_be_visible()
    expect(page.get_by_text("Top terms:")).to_have_count(5)
    assert_no_axe_violations(page)

    first = page.locator(".th-proposal").nth(0)
    first.get_by_label("Theme name").fill("Getting an appointment")
    first.get_by_role("button", name=re.compile("Accept as a theme")).click()
    expect(page.get_by_text("“Getting an appointment” is in the codebook.")).to_be_visible()
    second = page.locator(".th-proposal").nth(1)
    second.get_by_role("button", name=re.compile("Accept as a theme")).click()
    expect(page.get_by_text(re.compile("is in the codebook"))).to_be_visible()
    accepted = Theme.objects.exclude(name="Getting an appointment").get(programme=cancer)
    page.goto(accepted.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_text("Rename or edit").click()
    page.get_by_label("Name", exact=True).fill("Travelling to care")
    page.get_by_role("button", name="Save the theme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Travelling to care")
    expect(page.get_by_text(re.compile("Renamed “.*” to “Travelling to care”"))).to_be_visible()

    themes_nav(page, "Code contributions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code contributions")
    assert_no_axe_violations(page)
    items = page.locator("[data-coding-item]")
    for n in range(8):
        items.nth(n).get_by_role("checkbox", name="Getting an appointment").check()
    # The last two by keyboard: focus the item's first box, then 2 ticks the second theme.
    for n in (8, 9):
        items.nth(n).get_by_role("checkbox").first.focus()
        page.keyboard.press("2")
        expect(items.nth(n).get_by_role("checkbox", name="Travelling to care")).to_be_checked()
    page.get_by_role("button", name="Save codes").click()
    expect(page.get_by_text("10 items coded.")).to_be_visible()
    expect(page.locator(".th-progress-text")).to_contain_text("10 of 155")
    assert Coding.objects.filter(status=CodingStatus.CONFIRMED).count() == 10

    # Earlier coding sessions: each theme reaches the 20 coded items a classifier needs.
    travel = Theme.objects.get(name="Travelling to care")
    appointment = Theme.objects.get(name="Getting an appointment")
    by_theme = {"transport": travel, "waiting": appointment}
    coded = set(Coding.objects.values_list("kind", "item_pk"))
    extra = {}
    for key, truth in sorted(planted.items()):
        kind, pk = key.split(":")
        if truth in by_theme and (kind, int(pk)) not in coded and len([k for k in extra if planted[k] == truth]) < 22:
            extra[key] = {by_theme[truth].pk}
    services.items_code(actor=staff, programme=cancer, codes=extra)

    themes_nav(page, "Discovery").click()
    page.get_by_role("button", name="Suggest codes").click()
    expect(page.get_by_text(re.compile("Finished"))).to_be_visible()
    themes_nav(page, "Suggested codes").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    boxes = page.get_by_role("checkbox")
    expect(boxes.first).to_be_visible()
    for n in range(3):
        boxes.nth(n).check()
    page.get_by_role("button", name="Confirm the chosen suggestions").click()
    expect(page.get_by_text("3 suggestions confirmed.")).to_be_visible()

    themes_nav(page, "Counts").click()
    assert_no_axe_violations(page)
    page.get_by_label("Count themes by").select_option(label="Borough")
    page.get_by_role("button", name="Show the counts").click()
    expect(page.get_by_role("heading", name="Themes by borough")).to_be_visible()
    expect(page.get_by_text("fewer than 10").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(travel.get_absolute_url())
    page.get_by_label("Programme update").select_option(label="Evening GP appointments")
    page.get_by_role("button", name="Link and tell contributors").click()
    expect(page.get_by_text(re.compile(r"Linked\. \d+ contributors are being told\."))).to_be_visible()
    expect(page.get_by_role("link", name="Update: Evening GP appointments")).to_be_visible()
    assert_no_axe_violations(page)

    # Both ways: a reader of the update finds the theme behind it, and the theme page leads back.
    page.context.clear_cookies()
    page.goto(update.get_absolute_url())
    expect(page.get_by_role("heading", name="What you told us that led to this")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Travelling to care")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Travelling to care")
    expect(page.get_by_text("fewer than 10 people online")).to_be_visible()
    expect(page.get_by_role("link", name="Evening GP appointments")).to_be_visible()
    assert_no_axe_violations(page)

    # A contributor's notification links to the decision and to the theme, where their words are.
    coded_comment = Coding.objects.filter(theme=travel, status=CodingStatus.CONFIRMED, kind="comment").first()
    contributor = User.objects.get(comments__pk=coded_comment.item_pk)
    sign_in(contributor)
    page.goto("/notifications/")
    notice = page.locator(".th-notification").filter(has_text="fed a decision").first
    expect(notice).to_be_visible()
    assert_no_axe_violations(page)
    notice.get_by_role("link", name="Travelling to care", exact=True).click()
    expect(page.get_by_role("heading", name="Your words fed this theme")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Your (reply|discussion)")).first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Evening GP appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening GP appointments")
    told = Notification.objects.filter(event_key__startswith=f"themes.decision:{travel.pk}:")
    assert told.count() >= 5
    assert all(n.url == update.get_absolute_url() for n in told)

    # A contributor whose words fed the theme hears of it, and the notice leads to the decision.
    contributor = User.objects.get(pk=told.order_by("recipient_id").first().recipient_id)
    sign_in(contributor)
    page.goto("/notifications/")
    notice = page.get_by_role("link", name=re.compile("What you said about “Travelling to care” fed a decision"))
    expect(notice).to_be_visible()
    notice.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening GP appointments")
