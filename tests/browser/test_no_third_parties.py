import pytest

from tests.browser.conftest import foreign
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    "/",
    "/programmes/",
    "/programmes/cancer/",
    "/accounts/signup/",
    "/accounts/login/",
    "/house-rules/",
    "/privacy/",
    "/accessibility/",
    "/accounts/profile/",
]


def test_pages_ask_nothing_of_any_host_but_the_site(page, sign_in, requests_seen, live_server):
    """No fonts, icons, scripts or trackers from elsewhere: visiting tells no other company."""
    for path in PAGES[:-1]:
        page.goto(path, wait_until="networkidle")
    sign_in(UserFactory())
    page.goto(PAGES[-1], wait_until="networkidle")

    assert foreign(requests_seen, live_server) == []
    assert any(url.endswith("/static/dist/talkhealth.css") for url in requests_seen)
    assert any(url.endswith("/static/js/talkhealth.js") for url in requests_seen)
