"""axe-core finds no WCAG 2.2 A/AA or best-practice problems on any page type."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = [
    "/",
    "/programmes/",
    "/programmes/mental-health/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-not-a-real-key/",
    "/accounts/confirm-email/not-a-real-key/",
    "/house-rules/",
    "/privacy/",
    "/accessibility/",
    "/programmes/no-such-programme/",
]
SIGNED_IN_PAGES = [
    "/accounts/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(page, path):
    page.goto(path)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_page_has_no_axe_violations(page, sign_in, path):
    sign_in(UserFactory())
    page.goto(path)
    assert_no_axe_violations(page)


def test_signup_with_errors_has_no_axe_violations(page):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


def test_login_with_errors_has_no_axe_violations(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


def test_profile_with_errors_has_no_axe_violations(page, sign_in):
    UserFactory(display_name="Taken Name")
    sign_in(UserFactory())
    page.goto("/accounts/profile/")
    page.get_by_label("Display name").fill("taken name")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("already taken")
    assert_no_axe_violations(page)


def test_a_phone_sized_home_page_has_no_axe_violations(phone_page):
    phone_page.goto("/")
    assert_no_axe_violations(phone_page)
