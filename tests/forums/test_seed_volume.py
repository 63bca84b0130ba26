import random
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q

from accounts.models import User
from forums.volume import SEED_PASSWORD, volume_seed
from forums.models import Board, Comment, CommentLike, TaggedThread, Thread, ThreadFollow, ThreadLike, Visibility
from talkhealth import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    boards = list(Board.objects.filter(programme__slug__in=["cancer", "digital"]))
    return volume_seed(
        boards=boards, threads=40, comments=1500, authors=30, rng=random.Random(7), batch_size=500,
        big_thread_comments=300,
    )


def test_stored_thread_counters_agree_with_the_rows(seeded):
    threads = Thread.objects.filter(pk__in=seeded.thread_ids).annotate(
        published=Count("comments", filter=Q(comments__visibility=Visibility.PUBLISHED, comments__is_deleted=False)),
        top_level=Count("comments", filter=Q(comments__depth=1)),
        newest=Max("comments__created_at"),
    )
    for thread in threads:
        assert thread.reply_count == thread.published
        assert thread.top_level_count == thread.top_level
        assert thread.like_count == ThreadLike.objects.filter(thread=thread).count()
        newest = Comment.objects.filter(thread=thread).order_by("-created_at", "-id").first()
        assert thread.last_activity_at == (newest.created_at if newest else thread.created_at)
        assert thread.last_poster_id == (newest.author_id if newest else thread.author_id)
    assert sum(t.reply_count for t in threads) < seeded.comments, "some comments should be deleted or moderated"


def test_comment_like_counts_agree_with_the_likes_and_nobody_likes_their_own_post(seeded):
    comments = Comment.objects.filter(thread__in=seeded.thread_ids).annotate(liked_by=Count("likes"))
    assert all(comment.like_count == comment.liked_by for comment in comments)
    assert sum(comment.like_count for comment in comments) == seeded.comment_likes > 0
    assert not CommentLike.objects.filter(user=F("comment__author")).exists()
    assert not ThreadLike.objects.filter(user=F("thread__author")).exists()
    assert not CommentLike.objects.filter(comment__is_deleted=True).exists()


def test_board_thread_counts_agree_with_the_threads(seeded):
    for board in Board.objects.filter(programme__slug__in=["cancer", "digital"]):
        assert board.thread_count == Thread.objects.filter(board=board).count()


def test_replies_nest_as_comment_post_nests_them(seeded):
    comments = {c.pk: c for c in Comment.objects.filter(thread__in=seeded.thread_ids)}
    assert len(comments) == seeded.comments == 1800
    depths = {depth: 0 for depth in (1, 2, 3)}
    for comment in comments.values():
        depths[comment.depth] += 1
        if comment.depth == 1:
            assert comment.parent_id is None and comment.root_id is None and comment.in_reply_to_id is None
            continue
        parent = comments[comment.parent_id]
        assert parent.thread_id == comment.thread_id
        assert parent.depth == comment.depth - 1
        assert comment.root_id == (parent.root_id or parent.pk)
        assert comment.created_at > parent.created_at
        if comment.in_reply_to_id is not None:
            assert comment.depth == Comment.MAX_DEPTH and comment.in_reply_to_id != comment.author_id
    assert all(depths.values()), depths


def test_the_big_thread_has_exactly_the_comments_asked_for(seeded):
    big = seeded.big_thread
    assert Comment.objects.filter(thread=big).count() == 300
    assert big.visibility == Visibility.PUBLISHED and not big.is_locked
    assert big.top_level_count > 50, "more than one page of top-level comments"


def test_authors_have_confirmed_emails_and_the_seed_password(seeded, client):
    people = User.objects.filter(pk__in=seeded.author_ids)
    assert people.count() == 30 and all(person.email_verified for person in people)
    assert EmailAddress.objects.filter(user__in=people, verified=True, primary=True).count() == 30
    assert client.login(email=people[0].email, password=SEED_PASSWORD)


def test_authors_and_repliers_follow_their_threads(seeded):
    for thread in Thread.objects.filter(pk__in=seeded.thread_ids[:10]):
        people = set(Comment.objects.filter(thread=thread).values_list("author", flat=True)) | {thread.author_id}
        assert set(ThreadFollow.objects.filter(thread=thread).values_list("user", flat=True)) == people


def test_threads_carry_tags(seeded):
    assert TaggedThread.objects.filter(object_id__in=seeded.thread_ids).exists()


def test_the_same_seed_makes_the_same_discussions():
    boards = list(Board.objects.filter(programme__slug="estates"))

    def shape(run):
        threads = Thread.objects.filter(pk__in=run.thread_ids).order_by("pk")
        return [(t.title, t.reply_count, t.top_level_count, t.like_count) for t in threads]

    first = volume_seed(boards=boards, threads=8, comments=200, authors=10, rng=random.Random(3))
    second = volume_seed(boards=boards, threads=8, comments=200, authors=10, rng=random.Random(3))
    assert shape(first) == shape(second)


def test_seeding_empties_the_page_cache(django_capture_on_commit_callbacks):
    key = pagecache.VERSION_PREFIX + pagecache.SITE_TAG
    pagecache.invalidate_all()
    before = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True):
        volume_seed(boards=list(Board.objects.all()[:1]), threads=1, comments=2, authors=2, rng=random.Random(1))
    assert cache.get(key) not in (None, before)


def test_command_confines_threads_to_one_board_and_prints_the_big_thread_url():
    out = StringIO()
    call_command(
        "seed_volume", "--threads", "6", "--comments", "60", "--authors", "5", "--programme", "children",
        "--board", "ideas", "--big-thread-comments", "20", "--seed", "1", stdout=out,
    )
    board = Board.objects.get(programme__slug="children", slug="ideas")
    assert Thread.objects.count() == Thread.objects.filter(board=board).count() == 7
    big = Thread.objects.get(title__startswith="Waiting times for GP appointments")
    assert Comment.objects.filter(thread=big).count() == 20
    assert big.get_absolute_url() in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--board", "ideas"], "--board needs --programme"),
        (["--programme", "no-such-programme"], "No boards match"),
        (["--threads", "0", "--comments", "5"], "Comments need threads"),
        (["--authors", "1"], "At least two authors"),
    ],
)
def test_command_refuses_arguments_that_cannot_work(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_volume", *arguments, stdout=StringIO())


def test_command_refuses_production_settings(settings):
    settings.TALKHEALTH_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_volume", stdout=StringIO())
    assert not Thread.objects.exists()
