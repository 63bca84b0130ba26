import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from programmes.models import Programme
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-enough-passphrase"


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def test_a_visitor_signs_up_confirms_their_email_signs_in_and_reads_a_programme_hub(page):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    expect(page).to_have_title(re.compile(r"^Create an account"))
    expect(page.get_by_text("display name is public")).to_be_visible()

    page.get_by_label("Email address").fill("amira@example.com")
    page.get_by_label("Display name").fill("Amira from Lambeth")
    page.get_by_label("Your London borough (optional)").select_option(label="Lambeth")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type your password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    banner = page.get_by_role("banner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(banner.get_by_role("link", name="Sign in")).to_be_visible()
    assert [message.to for message in mail.outbox] == [["amira@example.com"]]
    link = confirmation_link(mail.outbox[0])

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_role("button", name="Confirm email address").click()
    # Confirmed, a new account is offered the optional equality questions, after signing in.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/equality/"))
    expect(page.get_by_role("status")).to_contain_text("You have confirmed amira@example.com")
    assert User.objects.get(email="amira@example.com").email_verified

    page.get_by_label("Email address").fill("amira@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality questions")
    page.get_by_role("link", name="Skip these questions").click()
    expect(banner.get_by_role("link", name=re.compile("Amira from Lambeth"))).to_be_visible()

    page.goto("/programmes/cancer/")
    expect(page.get_by_role("heading", level=1)).to_have_text(Programme.objects.get(slug="cancer").name)
    expect(banner).to_contain_text("Amira from Lambeth")


def test_signing_in_with_the_wrong_password_explains_the_problem_at_the_top_of_the_page(page):
    UserFactory(email="sam@example.com")
    page.goto("/accounts/login/")

    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Password", exact=True).fill("not-the-right-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter the email address and password you used to create your account")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def test_bad_signup_input_is_explained_beside_each_field_and_linked_from_the_summary(page):
    UserFactory(display_name="Taken Name")
    page.goto("/accounts/signup/")

    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Display name").fill("taken name")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type your password again").fill("something-else-entirely")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter an email address in the correct format, like name@example.com")).to_have_attribute("href", "#id_email")
    expect(summary).to_contain_text("That display name is already taken")
    expect(summary).to_contain_text("same password")
    email = page.get_by_label("Email address")
    expect(email).to_have_class(re.compile(r"\bnhsuk-input--error\b"))
    expect(email).to_have_accessible_description(re.compile(r"never shown\.\s+Error:\s+Enter an email address in the correct format"))

    summary.get_by_role("link", name=re.compile("display name is already taken")).click()
    expect(page.get_by_label("Display name")).to_be_focused()
    assert not User.objects.filter(email="not-an-email").exists()


def test_an_unknown_programme_shows_the_sites_page_not_found(page):
    response = page.goto("/programmes/no-such-programme/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("link", name="see all 13 programmes")).to_be_visible()


def test_the_home_page_fits_a_phone_screen_without_sideways_scrolling(phone_page):
    phone_page.goto("/")

    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
