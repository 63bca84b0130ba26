"""Public profiles: who a person is and what they wrote that the viewer may read, at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from forums import services
from forums.models import Comment, Thread
from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def _url(person, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("forums:person", args=[person.pk]) + (f"?{query}" if query else "")


def test_a_profile_shows_the_name_join_date_and_discussions(client):
    person = UserFactory(display_name="Ada Clinic")
    thread = ThreadFactory(author=person, title="Night buses to the hospital")
    content = client.get(_url(person)).content.decode()
    assert "Ada Clinic" in content and person.date_joined.strftime("%B %Y") in content
    assert thread.get_absolute_url() in content


def test_the_borough_shows_only_when_its_owner_chose_to_show_it(client):
    person = UserFactory(borough="hackney")
    assert "Hackney" not in client.get(_url(person)).content.decode()
    account_services.user_update_profile(
        actor=person, user=person, display_name=person.display_name, borough="hackney", show_borough=True
    )
    assert "Hackney" in client.get(_url(person)).content.decode()


def test_showing_the_borough_is_off_by_default_and_set_on_the_profile_page(client, resident):
    client.force_login(resident)
    form = client.get(reverse("accounts:profile")).context["form"]
    assert form["show_borough"].value() is False
    client.post(
        reverse("accounts:profile"), {"display_name": resident.display_name, "borough": "brent", "show_borough": "on"}
    )
    resident.refresh_from_db()
    assert resident.show_borough is True
    client.post(reverse("accounts:profile"), {"display_name": resident.display_name, "borough": "", "show_borough": "on"})
    resident.refresh_from_db()
    assert resident.show_borough is False, "nothing to show without a borough"


@pytest.mark.parametrize("factory, label", [(StaffFactory, "Staff"), (ModeratorFactory, "Moderator")])
def test_staff_and_moderators_are_marked(client, factory, label):
    content = client.get(_url(factory())).content.decode()
    assert f'th-role">{label}</strong>' in content


def test_residents_are_not_marked(client, resident):
    assert "th-role" not in client.get(_url(resident)).content.decode()


@pytest.mark.parametrize("kind", ["unverified", "inactive", "missing"])
def test_only_confirmed_active_accounts_have_a_page(client, kind):
    if kind == "missing":
        url = reverse("forums:person", args=[999_999])
    else:
        url = _url(UserFactory(unverified=True) if kind == "unverified" else UserFactory(is_active=False))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role, sees_pending", [("anonymous", False), ("resident", False), ("self", True), ("moderator", True)])
def test_a_profile_lists_only_what_the_viewer_may_read(client, role, sees_pending):
    person = UserFactory()
    published = ThreadFactory(author=person, title="Published one")
    held = ThreadFactory(author=person, title="Held one")
    Thread.objects.filter(pk=held.pk).update(visibility="held")
    removed = ThreadFactory(author=person, title="Removed one")
    Thread.objects.filter(pk=removed.pk).update(visibility="removed")
    shown = CommentFactory(author=person, body="A comment anyone can read.")
    hidden = CommentFactory(author=person, body="A comment under review.")
    Comment.objects.filter(pk=hidden.pk).update(visibility="hidden")
    deleted = CommentFactory(author=person, body="Gone.")
    services.comment_delete(actor=person, comment=deleted)
    viewer = {"anonymous": None, "resident": UserFactory, "self": lambda: person, "moderator": ModeratorFactory}[role]
    if viewer is not None:
        client.force_login(viewer())

    threads = client.get(_url(person)).content.decode()
    comments = client.get(_url(person, show="comments")).content.decode()

    assert published.get_absolute_url() in threads
    assert (held.get_absolute_url() in threads) is sees_pending
    assert (removed.get_absolute_url() in threads) is (role == "moderator")
    assert shown.get_absolute_url() in comments
    assert (hidden.get_absolute_url() in comments) is sees_pending
    assert deleted.get_absolute_url() not in comments


def test_comments_are_paginated_newest_first(client, settings):
    settings.FORUMS_THREADS_PER_PAGE = 3
    person = UserFactory()
    thread = ThreadFactory()
    comments = [CommentFactory(thread=thread, author=person, body=f"Comment number {n}") for n in range(5)]
    first = client.get(_url(person, show="comments"))
    assert [c.pk for c in first.context["profile"].page.object_list] == [c.pk for c in comments[::-1][:3]]
    second = client.get(_url(person, show="comments", page=2))
    assert [c.pk for c in second.context["profile"].page.object_list] == [comments[1].pk, comments[0].pk]
    assert "show=comments&amp;page=1" in second.content.decode()


@pytest.mark.parametrize("tab", ["threads", "comments"])
@pytest.mark.parametrize("viewer", ["anonymous", "resident"])
def test_a_profile_costs_the_same_queries_however_much_they_wrote(client, tab, viewer):
    """Person, roles, the other tab's count, this tab's count and page (and tags for threads);
    signed in adds the session, the viewer and the viewer's roles."""
    person = UserFactory()
    if viewer == "resident":
        client.force_login(UserFactory())

    def write(count):
        for n in range(count):
            CommentFactory(thread=ThreadFactory(author=person, title=f"Topic {n}", tags=["buses"]), author=person)

    def measure():
        client.get(_url(person, show=tab))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(person, show=tab)).status_code == 200
        return len(queries)

    write(2)
    small = measure()
    write(40)
    large = measure()
    expected = (6 if tab == "threads" else 5) + (3 if viewer == "resident" else 0)
    assert small == large == expected
