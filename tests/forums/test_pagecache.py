import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from forums import services
from forums.models import Board

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def page_cache():
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


@pytest.fixture
def thread(resident):
    board = Board.objects.get(programme__slug="cancer", slug="general")
    return services.thread_create(actor=resident, board=board, title="Screening letters", body="Mine came late.")


def test_a_second_anonymous_view_is_served_without_queries(client, thread, django_assert_num_queries):
    client.get(thread.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(thread.get_absolute_url())
    assert "Mine came late." in response.content.decode()


def test_a_reply_makes_the_cached_page_fresh(client, thread, moderator, django_capture_on_commit_callbacks):
    client.get(thread.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(actor=moderator, thread=thread, body="Thanks for telling us.")

    response = client.get(thread.get_absolute_url())

    assert "Thanks for telling us." in response.content.decode()


def test_signed_in_people_never_get_the_shared_page(client, thread, resident):
    client.get(thread.get_absolute_url())
    client.force_login(resident)
    response = client.get(thread.get_absolute_url())
    assert resident.display_name in response.content.decode()
    assert "Post reply" in response.content.decode()


def test_visitors_with_a_session_are_not_served_the_shared_page(client, thread, django_assert_num_queries):
    client.get(thread.get_absolute_url())
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key

    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread.get_absolute_url())

    assert response.status_code == 200
    assert len(queries) > 0, "a visitor with a session must get a freshly rendered page"


def test_a_thread_with_replies_sets_no_cookie_for_anonymous_readers_and_is_cached(
    client, thread, moderator, django_assert_num_queries
):
    services.comment_post(actor=moderator, thread=thread, body="A reply, with its like count.")
    cache.clear()

    first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(thread.get_absolute_url())

    assert not first.cookies
    assert "A reply, with its like count." in second.content.decode()
