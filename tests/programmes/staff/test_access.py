"""The staff area is for partnership staff only: everyone else gets a 404 for every page and every
action, whether signed in or not, so the pages do not even admit to existing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from forums.models import Thread
from programmes.events.models import Event
from programmes.polls.models import Poll
from programmes.reports.models import DiscussionExport
from programmes.updates.models import Update
from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from tests.forums.factories import ThreadFactory
from tests.programmes.staff.factories import draft_update, open_poll, upcoming_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(db):
    staff = StaffFactory()
    update = draft_update(staff)
    poll = open_poll(staff)
    event = upcoming_event(staff)
    thread = ThreadFactory()
    export = DiscussionExport.objects.create(requested_by=staff)
    return {"update": update.pk, "poll": poll.pk, "event": event.pk, "thread": thread.pk, "export": export.pk}


STAFF_GETS = [
    "/staff/",
    "/staff/updates/",
    "/staff/updates/new/",
    "/staff/updates/{update}/",
    "/staff/polls/",
    "/staff/polls/new/",
    "/staff/polls/{poll}/",
    "/staff/events/",
    "/staff/events/new/",
    "/staff/events/{event}/",
    "/staff/threads/{thread}/status/",
    "/staff/reports/",
    "/staff/exports/",
    "/staff/exports/{export}/",
]
STAFF_POSTS = [
    "/staff/updates/new/",
    "/staff/updates/{update}/",
    "/staff/updates/{update}/unpublish/",
    "/staff/updates/plain-english/",
    "/staff/polls/new/",
    "/staff/polls/{poll}/",
    "/staff/events/new/",
    "/staff/events/{event}/",
    "/staff/threads/{thread}/status/",
    "/staff/exports/",
]


def _sign_in(client, role):
    user = {
        "anonymous": None,
        "unverified": lambda: UserFactory(unverified=True),
        "resident": UserFactory,
        "moderator": ModeratorFactory,
    }[role]
    if user:
        client.force_login(user())


@pytest.mark.parametrize("role", ["anonymous", "unverified", "resident", "moderator"])
def test_no_staff_page_or_action_answers_anyone_but_staff(client, things, role):
    _sign_in(client, role)
    counts = (Update.objects.count(), Poll.objects.count(), Event.objects.count(), DiscussionExport.objects.count())
    for url in STAFF_GETS + ["/staff/exports/{export}/download/"]:
        assert client.get(url.format(**things)).status_code == 404, url
    for url in STAFF_POSTS:
        response = client.post(url.format(**things), {"action": "publish", "title": "x", "status": "changed"})
        assert response.status_code == 404, url
    assert counts == (
        Update.objects.count(),
        Poll.objects.count(),
        Event.objects.count(),
        DiscussionExport.objects.count(),
    )
    assert Thread.objects.get(pk=things["thread"]).status == "open"


def test_every_staff_page_opens_for_staff(client, things, staff):
    client.force_login(staff)
    for url in STAFF_GETS:
        assert client.get(url.format(**things)).status_code == 200, url


def test_residents_see_no_staff_controls_on_a_discussion(client, resident):
    thread = ThreadFactory()
    client.force_login(resident)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "/staff/" not in page and 'name="official"' not in page
    assert "Staff area" not in client.get("/accounts/profile/").content.decode()


def test_staff_see_the_staff_area_link_and_controls_on_a_discussion(client, staff):
    thread = ThreadFactory()
    client.force_login(staff)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f"/staff/threads/{thread.pk}/status/" in page and 'name="official"' in page
    assert 'href="/staff/">Staff area</a>' in client.get("/accounts/profile/").content.decode()


def test_anonymous_visitors_have_no_permissions():
    user = AnonymousUser()
    for perm in [
        "programmes.change_update",
        "programmes.view_reports",
        "programmes.vote_poll",
        "programmes.attend_event",
    ]:
        assert not user.has_perm(perm)


def test_the_updates_board_offers_no_new_discussions(client, resident):
    client.force_login(resident)
    page = client.get("/programmes/cancer/boards/updates/").content.decode()
    assert "Start a discussion" not in page
    assert client.get("/programmes/cancer/boards/updates/new/").status_code == 404


def test_admin_lists_partnership_content_read_only(client, things):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for model in ("update", "poll", "event", "discussionexport"):
        assert client.get(f"/admin/programmes/{model}/").status_code == 200
        assert client.get(f"/admin/programmes/{model}/add/").status_code == 403
