"""The Content-Security-Policy lets the site's own scripts run (NHS.UK frontend, htmx, ours) and
nothing else. Every browser test fails on any `securitypolicyviolation` (tests/browser/conftest.py);
this one walks each kind of page for each role, with htmx swaps, and proves the listener hears."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    None: ["/", "/programmes/", "/programmes/cancer/", "/updates/", "/search/?q=screening", "/accounts/login/",
           "/accounts/signup/", "/house-rules/", "/no-such-page/"],
    "resident": ["/accounts/profile/", "/notifications/", "/accounts/email/", "/accounts/data/"],
    "moderator": ["/moderation/", "/moderation/log/"],
    "staff": ["/staff/", "/staff/updates/new/", "/staff/polls/new/", "/staff/events/new/"],
}


def test_the_listener_hears_a_blocked_inline_script(page, csp_violations):
    page.goto("/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                             document.body.append(s); }""")
    page.wait_for_timeout(200)

    assert not page.evaluate("() => window.ran === 1")
    assert csp_violations and "script-src" in csp_violations[0]
    csp_violations.clear()


def test_every_kind_of_page_and_an_htmx_reply_raise_no_csp_violation(page, sign_in, settings, csp_violations):
    settings.FORUMS_RATE_LIMITS = [(1, 1000)]
    thread = ThreadFactory()
    CommentFactory(thread=thread)
    people = {
        None: None,
        "resident": UserFactory(date_joined=timezone.now() - timedelta(days=30)),
        "moderator": ModeratorFactory(),
        "staff": StaffFactory(),
    }
    for role, paths in PAGES.items():
        if people[role] is not None:
            sign_in(people[role])
        for path in [*paths, thread.get_absolute_url()]:
            page.goto(path)
            page.wait_for_load_state()
        assert csp_violations == [], f"as {role or 'a visitor'}"

    sign_in(people["resident"])
    page.goto(thread.get_absolute_url())
    page.wait_for_load_state()
    page.get_by_label("Your reply").fill("Posted in place by htmx.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#comment-list")).to_contain_text("Posted in place by htmx.")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert csp_violations == []
