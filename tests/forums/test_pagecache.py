import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import services
from forums.models import Board
from talkhealth import pagecache

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


@pytest.fixture
def other_thread(resident):
    board = Board.objects.get(programme__slug="mental-health", slug="general")
    return services.thread_create(actor=resident, board=board, title="Waiting lists", body="Six months so far.")


@pytest.fixture
def cache_calls(monkeypatch):
    """Counts the page cache's calls to the real cache (each one a round trip to Redis in production)."""
    calls, depth = [], []
    for name in ("get", "get_many", "set", "set_many", "add", "incr", "delete"):
        real = getattr(cache, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            if not depth:  # LocMemCache's get_many calls get: one call for Redis' MGET
                calls.append(_name)
            depth.append(_name)
            try:
                return _real(*args, **kwargs)
            finally:
                depth.pop()

        monkeypatch.setattr(cache, name, counted)
    return calls


def _cached(client, url, django_assert_num_queries):
    """Whether `url` is answered from the page cache: no query at all."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries) == 0


def test_a_hit_is_one_cache_round_trip_and_skips_sessions_auth_and_csrf(client, thread, cache_calls):
    client.get(thread.get_absolute_url())
    cache_calls.clear()

    response = client.get(thread.get_absolute_url())

    assert cache_calls == ["get_many"]
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "user")
    assert "csrftoken" not in response.cookies
    assert response["X-Frame-Options"] == "DENY", "headers of the middleware a hit skips are replayed"
    assert "Mine came late." in response.content.decode()


def test_made_up_query_parameters_share_the_entry_and_never_reach_the_page(client, thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    first = client.get(f"{url}?utm_1=launch&evil=%3Cscript%3E")
    with django_assert_num_queries(0):
        client.get(url)
    with django_assert_num_queries(0):
        client.get(f"{url}?utm_2=other")

    keys = [key for key in cache._cache if pagecache.PAGE_PREFIX in key]
    assert len(keys) == 1 and keys[0].endswith(f"{url}?")
    assert "utm_1" not in first.content.decode() and "evil" not in first.content.decode()


def test_known_query_parameters_are_separate_entries(client, thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    client.get(url)
    newest = client.get(f"{url}?sort=newest")
    assert newest.status_code == 200
    keys = sorted(key.split(pagecache.PAGE_PREFIX)[1] for key in cache._cache if pagecache.PAGE_PREFIX in key)
    assert keys == [f"{url}?", f"{url}?sort=newest"]


def test_a_reply_refreshes_its_thread_board_and_hub_and_nothing_else(
    client, thread, other_thread, moderator, django_capture_on_commit_callbacks, django_assert_num_queries
):
    board = reverse("forums:board", kwargs={"programme_slug": "cancer", "slug": "general"})
    hub = reverse("programmes:hub", kwargs={"slug": "cancer"})
    other_board = reverse("forums:board", kwargs={"programme_slug": "mental-health", "slug": "general"})
    other_hub = reverse("programmes:hub", kwargs={"slug": "mental-health"})
    home = reverse("home")
    untouched = [other_thread.get_absolute_url(), other_board, other_hub, home]
    for url in [thread.get_absolute_url(), board, hub, *untouched]:
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(actor=moderator, thread=thread, body="Thanks for telling us.")

    for url in untouched:
        assert _cached(client, url, django_assert_num_queries), f"{url} was made stale by a reply elsewhere"
    assert "Thanks for telling us." in client.get(thread.get_absolute_url()).content.decode()
    assert not _cached(client, board, django_assert_num_queries)
    assert not _cached(client, hub, django_assert_num_queries)


def test_a_page_rendered_while_a_reply_commits_is_not_kept(
    client, thread, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    """The page is stored with the tag versions read before it was rendered, so a write that commits
    during the render leaves it stale at once rather than for PAGE_CACHE_SECONDS."""
    from forums import views

    real = views.selectors.thread_page
    written = []

    def render_then_reply(**kwargs):
        listing = real(**kwargs)
        if not written:
            with django_capture_on_commit_callbacks(execute=True):
                written.append(services.comment_post(actor=moderator, thread=thread, body="Posted mid-render."))
        return listing

    monkeypatch.setattr(views.selectors, "thread_page", render_then_reply)
    first = client.get(thread.get_absolute_url())
    assert "Posted mid-render." not in first.content.decode()

    second = client.get(thread.get_absolute_url())

    assert "Posted mid-render." in second.content.decode()


def test_a_writer_sees_their_own_post_signed_in_and_after_signing_out(
    client, thread, resident, django_capture_on_commit_callbacks
):
    client.get(thread.get_absolute_url())
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forums:comment_create", kwargs={"pk": thread.pk}), {"body": "My own reply."}, follow=True)
    assert "My own reply." in response.content.decode()

    client.logout()
    client.cookies.pop("sessionid", None)

    assert "My own reply." in client.get(thread.get_absolute_url()).content.decode()


def test_a_new_display_name_refreshes_the_threads_they_posted_in(
    client, thread, other_thread, resident, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from accounts import services as account_services

    client.get(thread.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        account_services.user_update_profile(actor=resident, user=resident, display_name="Renamed Resident", borough="")

    assert "Renamed Resident" in client.get(thread.get_absolute_url()).content.decode()
    assert "Renamed Resident" in client.get(other_thread.get_absolute_url()).content.decode()


def test_a_view_must_name_its_parameters_and_tags():
    with pytest.raises(TypeError):
        pagecache.anonymous_page(lambda request: None)
    with pytest.raises(TypeError):
        pagecache.invalidate_on_commit()


def test_a_new_event_refreshes_its_programme_and_the_home_page_only(
    client, staff, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from tests.programmes.staff.factories import upcoming_event

    events = reverse("programmes:events", kwargs={"slug": "cancer"})
    home = reverse("home")
    other_hub = reverse("programmes:hub", kwargs={"slug": "mental-health"})
    for url in (events, home, other_hub):
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        upcoming_event(staff, title="Screening roadshow in Croydon")

    assert "Screening roadshow in Croydon" in client.get(events).content.decode()
    assert "Screening roadshow in Croydon" in client.get(home).content.decode()
    assert _cached(client, other_hub, django_assert_num_queries)


def test_listings_show_new_posts_within_the_activity_window_and_takedowns_at_once(
    client, thread, resident, moderator, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Under a stream of posts a board or hub is rendered at most once per PAGE_CACHE_ACTIVITY_SECONDS;
    the thread itself shows each post at once, and a takedown reaches the listings at once too."""
    import time

    from forums import authoring

    board = reverse("forums:board", kwargs={"programme_slug": "cancer", "slug": "general"})
    hub = reverse("programmes:hub", kwargs={"slug": "cancer"})
    now = [time.time()]
    monkeypatch.setattr(pagecache.time, "time", lambda: now[0])
    with override_settings(PAGE_CACHE_ACTIVITY_SECONDS=10):
        for url in (board, hub, thread.get_absolute_url()):
            client.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_post(actor=moderator, thread=thread, body="A reply inside the window.")
        assert "A reply inside the window." in client.get(thread.get_absolute_url()).content.decode()
        now[0] += 9
        assert _cached(client, board, django_assert_num_queries), "a listing may lag a new post"
        assert _cached(client, hub, django_assert_num_queries)
        now[0] += 1
        assert not _cached(client, board, django_assert_num_queries), "no later than the window"
        assert not _cached(client, hub, django_assert_num_queries)

        assert "Screening letters" in client.get(board).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            authoring.thread_delete(actor=resident, thread=thread)
        assert "Screening letters" not in client.get(board).content.decode(), "a takedown is never late"
        assert "Screening letters" not in client.get(hub).content.decode()


def test_an_entry_stored_by_an_earlier_release_is_a_miss_not_an_error(client, thread):
    url = thread.get_absolute_url()
    client.get(url)
    (key,) = [k for k in cache._cache if pagecache.PAGE_PREFIX in k]
    plain = key.split(":", 2)[2]  # without the backend's prefix and version
    versions, _, status, headers, content = cache.get(plain)
    cache.set(plain, (versions, status, headers, b"an old page"), 300)  # the shape before rendered_at
    response = client.get(url)
    assert response.status_code == 200 and b"Mine came late." in response.content
    assert len(cache.get(plain)) == 5


def test_a_message_waiting_in_its_cookie_gets_a_fresh_page_that_shows_it_once(
    client, thread, resident, django_assert_num_queries
):
    client.get(thread.get_absolute_url())  # the shared page, cached
    client.force_login(resident)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value
    assert client.cookies["messages"].value, "the message waits in its own cookie, not in a session"

    with CaptureQueriesContext(connection) as queries:
        page = client.get(thread.get_absolute_url())
    assert "You have signed out." in page.content.decode()
    assert len(queries) > 0, "a visitor with a message waiting must get a freshly rendered page"

    with django_assert_num_queries(0):
        again = client.get(thread.get_absolute_url())
    assert "You have signed out." not in again.content.decode()
