"""Journeys through search, a public profile, "Download my data" and "Delete my account" in real
Chromium, with axe-core on each page and no request to any other host."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import User
from forums.models import Comment, Thread
from tests.browser.axe import assert_no_axe_violations
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-good-long-password"


def test_searching_from_the_header_finds_highlighted_matches(page):
    thread = ThreadFactory(title="Podiatry clinic moved", body="The podiatry clinic is now next to the pharmacy.")
    CommentFactory(thread=thread, body="Thanks, I had missed the podiatry letter.")
    page.goto("/")
    page.get_by_label("Search Talk Health").fill("podiatry")
    page.get_by_label("Search Talk Health").press("Enter")
    expect(page).to_have_title("Search results for “podiatry” – Talk Health")
    expect(page.get_by_role("heading", name="2 results")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("Podiatry", ignore_case=True)
    assert_no_axe_violations(page)

    page.get_by_text("Filter results").click()
    page.get_by_role("radio", name="Comments").check()
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/search/?q=nothing+matches+this")
    expect(page.get_by_role("heading", name="No results")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_public_profile_and_its_comments(page):
    person = ModeratorFactory(display_name="Profile Person")
    CommentFactory(thread=ThreadFactory(author=person, title="Waiting room seating"), author=person, body="More chairs.")
    page.goto(f"/people/{person.pk}/")
    expect(page.get_by_role("heading", name="Profile Person Moderator")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Comments").click()
    expect(page.get_by_text("More chairs.")).to_be_visible()
    assert_no_axe_violations(page)


def test_download_then_delete_my_account(page, sign_in):
    person = UserFactory(display_name="Leaving Soon", email="leaving@example.com")
    other = UserFactory()
    thread = ThreadFactory(author=person, title="Hearing loops at the GP", body="Please fit them.")
    reply = CommentFactory(thread=thread, author=other, body="Yes, our surgery has none.")
    CommentFactory(thread=thread, author=person, parent=reply, body="Thank you for saying so.")
    sign_in(person)

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Download a copy of your information").click()
    expect(page.get_by_role("heading", name="Download your information")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Request a download").click()
    expect(page.get_by_text("We are preparing your information")).to_be_visible()
    expect(page.get_by_role("link", name="Download ZIP")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert json.loads(archive.read("profile.json"))["email"] == "leaving@example.com"
    assert [t["title"] for t in json.loads(archive.read("threads.json"))] == ["Hearing loops at the GP"]

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose what should happen")
    assert_no_axe_violations(page)
    page.get_by_label("Erase them too").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account has been deleted")).to_be_visible()
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in")).to_be_visible()
    person.refresh_from_db()
    assert (person.display_name, person.email) == ("Deleted user", f"deleted-{person.pk}@deleted.invalid")
    assert Thread.objects.get(pk=thread.pk).title == "Deleted discussion"
    assert Comment.objects.filter(author=person, is_deleted=False).count() == 0
    assert User.objects.filter(email="leaving@example.com").count() == 0

    page.goto(thread.get_absolute_url())
    expect(page.get_by_text("Yes, our surgery has none.")).to_be_visible()
    expect(page.get_by_text("Thank you for saying so.")).to_have_count(0)


def test_moderators_list_of_deleted_accounts(page, sign_in):
    leaving = UserFactory()
    account_services.account_delete(actor=leaving, user=leaving, erase_posts=False)
    sign_in(ModeratorFactory())
    page.goto("/moderation/deletions/")
    expect(page.get_by_role("cell", name="Deleted by its owner")).to_be_visible()
    assert_no_axe_violations(page)
