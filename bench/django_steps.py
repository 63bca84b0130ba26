"""The steps of the page bench that need Django, each run in its own process by run_pages.py.

    python -m bench.django_steps seed OUT.json      (DJANGO_SETTINGS_MODULE=talkhealth.settings.base)
    python -m bench.django_steps prepare OUT.json   (DJANGO_SETTINGS_MODULE=bench.settings)

Both read DATABASE_URL; `prepare` must see the same SECRET_KEY as the server, since session
cookies are signed with it.
"""

import json
import random
import sys
import time

import django

BENCH_PROGRAMME = "cancer"
BENCH_BOARD = "general"
BIG_THREAD_BOARD = "experiences"
BOARD_THREADS = 500
BOARD_COMMENTS = 15_000
BIG_THREAD_COMMENTS = 1_000
BACKGROUND_THREADS = 2_500
BACKGROUND_COMMENTS = 84_000
FLAT_THREAD_TITLE = "Bench: twenty-five replies, none nested"
FLAT_COMMENTS = 25
FLAT_TEXT = (
    "I had my appointment at the hospital last week and wanted to share how it went for anyone waiting. "
    "The letter came two weeks before, the staff explained every step, and the wait on the day was about "
    "forty minutes. Parking was hard, so the bus is better. Ask for the leaflet about results: it helped me. "
)


def flat_thread(board):
    """The issue-18 page: a thread of exactly FLAT_COMMENTS top-level comments of about 300 characters,
    by as many people, made once per database (a reused database keeps it)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from forums.models import Board, Comment, Thread
    from talkhealth import markdown

    thread = Thread.objects.filter(board=board, title=FLAT_THREAD_TITLE).first()
    if thread is not None:
        return thread
    authors = list(User.objects.filter(email_verified=True, is_staff=False).order_by("pk")[:FLAT_COMMENTS])
    now = timezone.now()
    thread = Thread.objects.create(
        board=board, author=authors[0], title=FLAT_THREAD_TITLE, body=FLAT_TEXT, body_html=markdown.render(FLAT_TEXT),
        created_at=now, last_activity_at=now, last_poster=authors[-1],
        reply_count=FLAT_COMMENTS, top_level_count=FLAT_COMMENTS,
    )
    texts = [f"{FLAT_TEXT[: 290 - len(str(n))]} ({n})" for n in range(FLAT_COMMENTS)]
    Comment.objects.bulk_create(
        Comment(thread=thread, author=authors[n % len(authors)], depth=1, body=text, body_html=markdown.render(text),
                created_at=now - timedelta(minutes=FLAT_COMMENTS - n))
        for n, text in enumerate(texts)
    )
    Board.objects.filter(pk=board.pk).update(thread_count=board.thread_count + 1)
    return thread


def seed() -> dict:
    """A board of exactly BOARD_THREADS threads, a thread of exactly BIG_THREAD_COMMENTS comments in
    another board of the same programme (so its hub has both), and background volume everywhere else."""
    from django.core.management.base import OutputWrapper

    from forums.volume import statistics_refresh, volume_seed
    from forums.models import Board

    out = OutputWrapper(sys.stdout)
    boards = list(Board.objects.select_related("programme"))
    board = next(b for b in boards if b.programme.slug == BENCH_PROGRAMME and b.slug == BENCH_BOARD)
    big_board = next(b for b in boards if b.programme.slug == BENCH_PROGRAMME and b.slug == BIG_THREAD_BOARD)
    others = [b for b in boards if b not in (board, big_board)]
    started = time.monotonic()
    volume_seed(boards=[board], threads=BOARD_THREADS, comments=BOARD_COMMENTS, authors=500,
                rng=random.Random(1), stdout=out)
    volume_seed(boards=[big_board], threads=0, comments=0, authors=300, rng=random.Random(2),
                big_thread_comments=BIG_THREAD_COMMENTS, stdout=out)
    volume_seed(boards=others, threads=BACKGROUND_THREADS, comments=BACKGROUND_COMMENTS, authors=1500,
                rng=random.Random(3), stdout=out)
    statistics_refresh()
    return {"seconds": round(time.monotonic() - started, 1)}


def prepare() -> dict:
    """The URLs to measure, a signed-in session for the busiest commenter in the big thread, and a
    page cache emptied of anything an earlier run left behind."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from forums.models import Board, Comment, Thread
    from talkhealth import pagecache

    board = Board.objects.select_related("programme").get(programme__slug=BENCH_PROGRAMME, slug=BENCH_BOARD)
    big = Thread.objects.filter(board__programme__slug=BENCH_PROGRAMME, board__slug=BIG_THREAD_BOARD).annotate(
        rows=Count("comments")
    ).get(rows=BIG_THREAD_COMMENTS)
    reader_id = (
        Comment.objects.filter(thread=big).values("author").annotate(n=Count("pk")).order_by("-n")[0]["author"]
    )
    reader = User.objects.get(pk=reader_id)
    client = Client()
    client.force_login(reader)
    flat = flat_thread(big.board)
    pagecache.invalidate_all()
    last = -(-big.top_level_count // settings.FORUMS_COMMENTS_PER_PAGE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database_version = cursor.fetchone()[0]
    return {
        "thread_first": big.get_absolute_url(),
        "thread_last": f"{big.get_absolute_url()}?page={last}",
        "flat": flat.get_absolute_url(),
        "thread_comments": Comment.objects.filter(thread=big).count(),
        "thread_top_level": big.top_level_count,
        "thread_pages": last,
        "board": board.get_absolute_url(),
        "board_threads": Thread.objects.filter(board=board).count(),
        "hub": board.programme.get_absolute_url(),
        "floor": "/bench/floor/",
        "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "reader": reader.display_name,
        "comments_total": Comment.objects.count(),
        "threads_total": Thread.objects.count(),
        "database_version": database_version,
        "django_version": django.get_version(),
    }


def mixed(posters: int = 800, targets: int = 20, threads_read: int = 400) -> dict:
    """bench/mixed.py's traffic: URLs read anonymously (every hub, every board's first two pages, a
    sample of threads), a signed-in session and CSRF secret each for `posters` established residents
    (confirmed, older than FORUMS_NEW_ACCOUNT_DAYS, three published posts or more, none in the last
    hour, so neither the rate limits nor pre-moderation refuse them), and the `targets` threads
    their replies go to."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Count, Q
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from forums.models import Board, Comment, Thread
    from programmes.models import Programme
    from talkhealth import pagecache

    rng = random.Random(18)
    now = timezone.now()
    reads = [programme.get_absolute_url() for programme in Programme.objects.all()]
    for board in Board.objects.select_related("programme").filter(accepts_threads=True):
        reads += [board.get_absolute_url(), f"{board.get_absolute_url()}?page=2"]
    open_threads = list(
        Thread.objects.filter(visibility="published", is_locked=False, page_url="").order_by("pk").values_list("pk", flat=True)
    )
    sample = Thread.objects.filter(pk__in=rng.sample(open_threads, min(threads_read, len(open_threads))))
    reads += [thread.get_absolute_url() for thread in sample]
    recent = Comment.objects.filter(created_at__gte=now - timedelta(hours=1)).values("author")
    people = list(
        User.objects.filter(
            email_verified=True, is_active=True, is_staff=False, deleted_at=None,
            date_joined__lt=now - timedelta(days=settings.FORUMS_NEW_ACCOUNT_DAYS + 1),
        )
        .exclude(pk__in=recent)
        .annotate(published=Count("comments", filter=Q(comments__visibility="published")))
        .filter(published__gte=3)
        .order_by("pk")[:posters]
    )
    sessions = []
    for person in people:
        client = Client()
        client.force_login(person)
        secret = _get_new_csrf_string()
        sessions.append({
            "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
                      f"{settings.CSRF_COOKIE_NAME}={secret}",
            "token": secret,
        })
    replies = [f"/threads/{pk}/reply/" for pk in rng.sample(open_threads, targets)]
    pagecache.invalidate_all()
    return {"reads": reads, "sessions": sessions, "targets": replies, "started": now.isoformat(),
            "comments_before": Comment.objects.count()}


def mixed_check(started: str) -> dict:
    """What the run wrote: replies stored since `started`, and the notifications they made."""
    from accounts.models import Notification
    from forums.models import Comment

    return {
        "comments": Comment.objects.filter(created_at__gte=started, body__startswith="Bench reply").count(),
        "held": Comment.objects.filter(created_at__gte=started, body__startswith="Bench reply").exclude(
            visibility="published").count(),
        "notifications": Notification.objects.filter(created_at__gte=started).count(),
        "notifications_emailed": Notification.objects.filter(created_at__gte=started, email_sent_at__isnull=False).count(),
    }


if __name__ == "__main__":
    step, out_path = sys.argv[1], sys.argv[2]
    django.setup()
    steps = {"seed": seed, "prepare": prepare, "mixed": mixed, "mixed_check": lambda: mixed_check(sys.argv[3])}
    result = steps[step]()
    with open(out_path, "w") as out_file:
        json.dump(result, out_file)
