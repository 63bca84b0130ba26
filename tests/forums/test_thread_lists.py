"""Thread lists (board, tag): four orders, one breadcrumb trail from Home, headings in order."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forums.models import Thread
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def _titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="nhsuk-heading-s th-thread-list__title">\s*<a href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def three_threads(board):
    now = timezone.now()
    old = ThreadFactory(board=board, title="Old but busy", tags=["parking"])
    new = ThreadFactory(board=board, title="Brand new", tags=["parking"])
    liked = ThreadFactory(board=board, title="Much liked", tags=["parking"])
    Thread.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=9))
    Thread.objects.filter(pk=liked.pk).update(created_at=now - timedelta(days=5), like_count=7)
    CommentFactory(thread=old, body="Still going")
    CommentFactory(thread=liked, body="Agreed")
    Thread.objects.filter(pk=old.pk).update(last_activity_at=now + timedelta(minutes=1))
    return old, new, liked


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("", ["Old but busy", "Much liked", "Brand new"]),
        ("activity", ["Old but busy", "Much liked", "Brand new"]),
        ("newest", ["Brand new", "Much liked", "Old but busy"]),
        ("unanswered", ["Brand new"]),
        ("liked", ["Much liked", "Old but busy", "Brand new"]),
        ("nonsense", ["Old but busy", "Much liked", "Brand new"]),
    ],
)
@pytest.mark.parametrize("where", ["board", "tag"])
def test_thread_lists_sort_by_activity_newest_unanswered_or_likes(client, three_threads, sort, expected, where):
    url = "/programmes/prevention/boards/general/" if where == "board" else "/tags/parking/"

    page = client.get(f"{url}?sort={sort}").content.decode()

    assert _titles(page) == expected
    assert '<label class="nhsuk-label" for="thread-sort">Sort discussions by</label>' in page


def test_the_next_page_keeps_the_chosen_order(client, board, settings):
    settings.FORUMS_THREADS_PER_PAGE = 1
    ThreadFactory(board=board)
    ThreadFactory(board=board)

    page = client.get("/programmes/prevention/boards/general/?sort=liked").content.decode()

    assert 'href="?sort=liked&amp;page=2' in page


def test_tags_on_a_thread_list_are_links(client, three_threads):
    page = client.get("/programmes/prevention/boards/general/").content.decode()

    assert '<a class="th-tag-link" href="/tags/parking/">parking</a>' in page


@pytest.mark.parametrize(
    "url",
    ["/programmes/prevention/", "/programmes/prevention/boards/general/", "thread", "/tags/parking/",
     "/programmes/prevention/updates/"],
)
def test_every_breadcrumb_trail_starts_at_home(client, three_threads, url):
    if url == "thread":
        url = three_threads[0].get_absolute_url()

    page = client.get(url).content.decode()

    trail = re.findall(r'class="nhsuk-breadcrumb__link" href="([^"]+)">([^<]+)</a>', page)
    assert trail[:2] == [("/", "Home"), ("/programmes/", "Programmes")]


def test_the_tag_page_goes_from_h1_to_h2_before_its_discussions(client, three_threads):
    page = client.get("/tags/parking/").content.decode()

    levels = [int(level) for level in re.findall(r"<h([1-6])", page.split('id="maincontent"')[1])]
    assert levels[:3] == [1, 2, 3]
