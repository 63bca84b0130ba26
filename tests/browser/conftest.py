"""Real Chromium, driven by Playwright, against pytest-django's live server.

One browser for the package and a fresh context (cookies, storage) for every test. Every request a
page makes is recorded; anything addressed to another host is aborted and fails the test, so a page
can never quietly load fonts, icons or scripts from someone else.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

# Playwright's sync API keeps an event loop running on the main thread; Django's ORM, called from
# that thread by the tests and fixtures, would otherwise refuse to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for all the browser tests, closed once they finish so no later test runs beside
    Playwright's event loop.

    While Playwright runs, its event loop counts as running on the main thread, so Django hands the
    tests fresh database connection objects (asgiref keeps them per async context). The snapshot of
    seeded rows that `serialized_rollback` restores lives on the old objects and is copied across,
    or every browser test after the first would find the programmes and role groups gone. Those
    connections are closed before the loop stops, so none is left open when the test database goes.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: browser tests need Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def foreign(urls: list[str], live_server) -> list[str]:
    """The URLs addressed to any host other than the live server."""
    return [url for url in urls if origin(url) != origin(live_server.url)]


@pytest.fixture
def requests_seen():
    """Every URL the browser asks for during the test, in order."""
    return []


@pytest.fixture
def csp_violations():
    """Every `securitypolicyviolation` event any page raises during the test."""
    return []


CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`);
});"""


@pytest.fixture
def context(browser, live_server, requests_seen, csp_violations):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.expose_binding("__reportCspViolation", lambda source, text: csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)

    def only_the_live_server(route):
        if foreign([route.request.url], live_server):
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_the_live_server)
    context.on("request", lambda request: requests_seen.append(request.url))
    yield context
    context.close()
    elsewhere = foreign(requests_seen, live_server)
    assert not elsewhere, f"pages asked other hosts for {elsewhere}"
    assert not csp_violations, f"the Content-Security-Policy blocked {csp_violations}"


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in(context, live_server):
    """Give the browser a signed-in session for `user` without going through the form."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])

    return sign_in
