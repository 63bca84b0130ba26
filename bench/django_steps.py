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


def seed() -> dict:
    """A board of exactly BOARD_THREADS threads, a thread of exactly BIG_THREAD_COMMENTS comments in
    another board of the same programme (so its hub has both), and background volume everywhere else."""
    from django.core.management.base import OutputWrapper

    from forums.management.commands.seed_volume import statistics_refresh, volume_seed
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
    pagecache.invalidate()
    last = -(-big.top_level_count // settings.FORUMS_COMMENTS_PER_PAGE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database_version = cursor.fetchone()[0]
    return {
        "thread_first": big.get_absolute_url(),
        "thread_last": f"{big.get_absolute_url()}?page={last}",
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


if __name__ == "__main__":
    step, out_path = sys.argv[1], sys.argv[2]
    django.setup()
    result = {"seed": seed, "prepare": prepare}[step]()
    with open(out_path, "w") as out_file:
        json.dump(result, out_file)
