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
    "/search/?q=appointments",
    "/accounts/data/",
    "/accounts/delete/",
    "/accounts/profile/",
]
SIGNED_IN = 4


def test_pages_ask_nothing_of_any_host_but_the_site(page, sign_in, requests_seen, live_server):
    """No fonts, icons, scripts or trackers from elsewhere: visiting tells no other company."""
    person = UserFactory()
    for path in PAGES[:-SIGNED_IN] + [f"/people/{person.pk}/"]:
        page.goto(path, wait_until="networkidle")
    sign_in(person)
    for path in PAGES[-SIGNED_IN:]:
        page.goto(path, wait_until="networkidle")

    assert foreign(requests_seen, live_server) == []
    assert any(url.endswith("/static/dist/talkhealth.css") for url in requests_seen)
    assert any(url.endswith("/static/js/talkhealth.js") for url in requests_seen)
