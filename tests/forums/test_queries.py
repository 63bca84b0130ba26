"""Every hot page costs a fixed number of queries, however much it shows.

Each page is measured at two data sizes, after a warm-up request (so per-process caches such as
ContentType are full, as in a running server), and must cost exactly the same at both. A failing
count is a design question, not a number to bump: the failure lists every query that ran.
"""

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from forums.volume import volume_seed
from forums.models import Board, Comment, Tag, TaggedThread, Thread
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

PROGRAMME = "mental-health"
THREAD_SIZES = {"10 comments": 10, "1,000 comments": 1000}
LISTING_SIZES = {"5 threads": 5, "200 threads": 200}
SORTS = ["oldest", "newest", "liked"]

# Queries per page and viewer. Signed in adds the session, the user and the user's groups (asked
# once: the header's Moderation link and the page's own permission checks share it; a refused rules
# permission costs nothing more, see accounts.backends). The
# hub asks a signed-in viewer's follow of the programme once, for its Follow / Unfollow button, and
# one query each for the programme's latest updates, upcoming events and open polls.
HUB = {"anonymous": 6, "resident": 10, "moderator": 10}
BOARD = {"anonymous": 4, "resident": 7, "moderator": 7}
TAG = {"anonymous": 4, "resident": 7, "moderator": 7}
# A thread page: the thread (with its author's staff role and a signed-in reader's like and
# follow) and its tags, a page of top-level comments and their replies (each with its author's
# staff role and the reader's like); signed in adds the session, user and groups, and whether the
# reader is suspended.
THREAD = {"anonymous": 4, "resident": 8, "moderator": 8}


def _boards(slug=None):
    boards = Board.objects.filter(programme__slug=PROGRAMME).order_by("position")
    return list(boards.filter(slug=slug) if slug else boards)


def _viewer(client, kind, *, prefer=None):
    """Sign `client` in as `kind`. A resident is `prefer` when given: someone with likes and posts on the page."""
    if kind == "anonymous":
        return None
    user = prefer if kind == "resident" and prefer is not None else (
        ModeratorFactory() if kind == "moderator" else UserFactory()
    )
    client.force_login(user)
    return user


def _measure(client, url, expected):
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == expected, f"{url}: {len(queries)} queries, expected {expected}:\n" + "\n".join(
        f"{number}. {query['sql']}" for number, query in enumerate(queries.captured_queries, start=1)
    )
    return response


def _busiest_commenter(thread):
    author_id = (
        Comment.objects.filter(thread=thread).values("author").annotate(n=Count("pk")).order_by("-n")[0]["author"]
    )
    return thread.author.__class__.objects.get(pk=author_id)


@pytest.fixture
def listing(request):
    """`size` threads, with comments and likes, in the programme's first board, all tagged "queries"."""

    def build(size):
        seeded = volume_seed(
            boards=_boards("general"), threads=size, comments=size * 3, authors=12, rng=random.Random(size)
        )
        tag = Tag.objects.create(name="queries", slug="queries")
        thread_type = ContentType.objects.get_for_model(Thread)
        TaggedThread.objects.bulk_create(
            [TaggedThread(content_type=thread_type, object_id=pk, tag=tag) for pk in seeded.thread_ids]
        )
        return seeded, tag

    return build


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "moderator"])
@pytest.mark.parametrize("size", LISTING_SIZES.values(), ids=LISTING_SIZES.keys())
def test_programme_hub_costs_the_same_at_any_size(client, listing, viewer, size):
    listing(size)
    _viewer(client, viewer)
    _measure(client, f"/programmes/{PROGRAMME}/", HUB[viewer])


@pytest.mark.parametrize("page", ["first", "last"])
@pytest.mark.parametrize("viewer", ["anonymous", "resident", "moderator"])
@pytest.mark.parametrize("size", LISTING_SIZES.values(), ids=LISTING_SIZES.keys())
def test_board_page_costs_the_same_at_any_size(client, listing, viewer, size, page):
    listing(size)
    _viewer(client, viewer)
    board = _boards("general")[0]
    number = 1 if page == "first" else -(-size // 30)
    _measure(client, f"{board.get_absolute_url()}?page={number}", BOARD[viewer])


@pytest.mark.parametrize("sort", ["newest", "unanswered", "liked"])
@pytest.mark.parametrize("viewer", ["anonymous", "resident"])
@pytest.mark.parametrize("size", LISTING_SIZES.values(), ids=LISTING_SIZES.keys())
def test_sorted_board_and_tag_pages_cost_the_same_at_any_size(client, listing, viewer, size, sort):
    seeded, tag = listing(size)
    Thread.objects.filter(pk__in=seeded.thread_ids[: size // 2]).update(reply_count=0)  # some unanswered
    _viewer(client, viewer)
    _measure(client, f"{_boards('general')[0].get_absolute_url()}?sort={sort}", BOARD[viewer])
    _measure(client, f"{tag.get_absolute_url()}?sort={sort}", TAG[viewer])


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "moderator"])
@pytest.mark.parametrize("size", LISTING_SIZES.values(), ids=LISTING_SIZES.keys())
def test_tag_page_costs_the_same_at_any_size(client, listing, viewer, size):
    _, tag = listing(size)
    _viewer(client, viewer)
    _measure(client, tag.get_absolute_url(), TAG[viewer])


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("page", ["first", "last"])
@pytest.mark.parametrize("viewer", ["anonymous", "resident", "moderator"])
@pytest.mark.parametrize("size", THREAD_SIZES.values(), ids=THREAD_SIZES.keys())
def test_thread_page_costs_the_same_at_any_size(client, settings, viewer, size, page, sort):
    seeded = volume_seed(
        boards=_boards("experiences"), threads=0, comments=0, authors=12, rng=random.Random(size),
        big_thread_comments=size,
    )
    thread = seeded.big_thread
    _viewer(client, viewer, prefer=_busiest_commenter(thread))
    number = 1 if page == "first" else -(-thread.top_level_count // settings.FORUMS_COMMENTS_PER_PAGE)
    response = _measure(
        client, f"{thread.get_absolute_url()}?sort={sort}&page={number}", THREAD[viewer]
    )
    listing = response.context["listing"]
    shown = response.content.decode().count('class="th-comment th-comment--depth-')
    assert shown == sum(1 + len(comment.thread_replies) for comment in listing.comments) > 0


# Posting a reply, the request and the notification work it queues (run here as the Celery worker
# would, eagerly): the session, user and groups; the thread (visible, then locked with its board
# and programme); the suspension check; the rate-limit and duplicate read (threads and comments in
# one); the hold list and screening settings; the new account check; the comment and the thread's
# counters; following; the equality snapshot (one INSERT … SELECT); the notifications of the person
# answered and of the followers (up to NOTIFICATIONS_FAN_OUT_INLINE followers are written in the
# request: one INSERT … SELECT for the person answered and one for the followers, each choosing its
# people and their email settings itself, and one update of their unread counts, however many); after
# commit the email. The session is not written: "Your reply has been posted" travels in a cookie.
# Some of them are SAVEPOINT / RELEASE pairs only because the test runs inside a transaction:
# in a server those atomic blocks are transactions of their own.
REPLY = 23


@pytest.mark.parametrize("size", THREAD_SIZES.values(), ids=THREAD_SIZES.keys())
def test_posting_a_reply_costs_the_same_at_any_size(client, size, django_capture_on_commit_callbacks):
    from forums.models import ThreadFollow

    seeded = volume_seed(
        boards=_boards("experiences"), threads=0, comments=0, authors=12, rng=random.Random(size),
        big_thread_comments=size,
    )
    thread = seeded.big_thread
    followers = {pk for pk in Comment.objects.filter(thread=thread).values_list("author", flat=True)}
    ThreadFollow.objects.bulk_create([ThreadFollow(user_id=pk, thread=thread) for pk in followers], ignore_conflicts=True)
    poster = UserFactory()
    client.force_login(poster)
    url = f"/threads/{thread.pk}/reply/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"body": "A first reply, to warm the caches."}).status_code == 302
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": f"My own experience of the {size} before me was much the same."})
    assert response.status_code == 302
    assert len(queries) == REPLY, f"{len(queries)} queries, expected {REPLY}:\n" + "\n".join(
        f"{number}. {query['sql'][:200]}" for number, query in enumerate(queries.captured_queries, start=1)
    )
    assert Comment.objects.filter(thread=thread, author=poster).count() == 2
