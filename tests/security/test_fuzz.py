"""Bad input is the visitor's error, never the server's: every URL the site answers, for every
role, with hostile values in its path ids, in every query parameter the views read and in every
form field any form declares, answers below 500."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from forums.moderation import services as moderation
from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory
from tests.programmes.staff.factories import open_poll, published_update, upcoming_event
from tests.security.test_input import project_forms

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "a\x00b",
    "huge id": "9" * 20,
    "controls": "\x01\x07\x1b[31m\r\x0b",
    "huge": "x" * 20_000,
}
QUERY_PARAMS = {
    "page", "programme", "reason", "status", "sort", "q", "show", "fragment", "format", "tags", "quote", "text",
    "next", "kind", "from", "to", "borough", "source", "since", "until", "type", "when", "order",
}
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = {"account_logout"}


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if ns.rstrip(":").split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def _paths(route: str) -> list[str]:
    """The route with real-looking values (id 1, the cancer programme, its general board), and
    again with every id hostile."""

    def fill(match, hostile=False):
        kind, name = match.group(1) or "str", match.group(2)
        if kind == "int":
            return "9" * 20 if hostile else "1"
        if kind == "uuid":
            return str(uuid.uuid4())
        if name == "slug" and "boards/" in route:
            return "general"
        return "cancer" if "slug" in name else "x"

    pattern = re.compile(r"<(?:(\w+):)?(\w+)>")
    paths = {"/" + pattern.sub(fill, route)}
    if "<int:" in route:
        paths.add("/" + pattern.sub(lambda m: fill(m, hostile=True), route))
    return sorted(paths)


@pytest.fixture
def world(db, settings):
    """One of everything, so most paths with id 1 name a real row."""
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]
    staff, moderator = StaffFactory(), ModeratorFactory()
    comment = CommentFactory(thread=ThreadFactory())
    published_update(staff)
    open_poll(staff)
    upcoming_event(staff)
    item = moderation.item_for(actor=moderator, content=comment)
    moderation.item_hide(actor=moderator, item=item, reason="Testing")
    return {"anonymous": None, "resident": UserFactory(date_joined=timezone.now() - timedelta(days=30)),
            "moderator": moderator, "staff": staff}


def _client(person) -> Client:
    client = Client(raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    return client


def test_no_url_answers_a_server_error_to_hostile_input(world):
    fields = {name for form in project_forms() for name in form.base_fields} | {"choice", "parent", "next", "login",
                                                                              "password", "email"}
    routes = sorted(set(_routes(get_resolver())))
    assert len(routes) > 50
    failures = []
    for role, person in world.items():
        client = _client(person)
        for name, route in routes:
            for path in _paths(route):
                for label, value in HOSTILE.items():
                    query = {param: value for param in QUERY_PARAMS}
                    for method in ("get", "post"):
                        data = query if method == "get" else {field: value for field in fields}
                        response = getattr(client, method)(path, data)
                        if response.status_code >= 500:
                            failures.append(f"{role} {method.upper()} {path} ({name}) with {label}: {response.status_code}")
                        if person is not None and "_auth_user_id" not in client.session:
                            client = _client(person)
    assert failures == []
