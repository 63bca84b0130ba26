"""Profile one page of the bench database in-process, with cProfile and the Django test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/talkhealth_bench \\
        .venv/bin/python bench/profile_page.py [--signed-in] [--repeat 20] [--sort tottime] [PATH]

PATH defaults to the first page of the bench's 1,000-comment thread. Run bench/run_pages.py once
first to create and seed the database. Settings are the embedded defaults with DEBUG off and the
page cache off, so every request renders.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def query_timer(queries: list):
    """A database execute wrapper that appends (seconds, sql) of each query to `queries`."""

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    return timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--signed-in", action="store_true", help="As the busiest commenter in the thread.")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--limit", type=int, default=35)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talkhealth_bench")
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "talkhealth.settings.base", "DEBUG": "false", "PAGE_CACHE_SECONDS": "0"}
    )
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from bench.django_steps import BENCH_PROGRAMME, BIG_THREAD_BOARD
    from forums.models import Comment, Thread

    big = Thread.objects.filter(board__programme__slug=BENCH_PROGRAMME, board__slug=BIG_THREAD_BOARD).first()
    path = args.path or big.get_absolute_url()
    client = Client()
    if args.signed_in:
        reader = Comment.objects.filter(thread=big).values("author").annotate(n=Count("pk")).order_by("-n")[0]
        client.force_login(User.objects.get(pk=reader["author"]))
    response = client.get(path)
    if response.status_code != 200:
        print(f"{path} answered {response.status_code}", file=sys.stderr)
        return 1

    queries = []
    with connection.execute_wrapper(query_timer(queries)):
        client.get(path)
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        client.get(path)
    plain = (time.perf_counter() - started) / args.repeat
    cpu = (time.process_time() - cpu_started) / args.repeat
    query_ms = sum(seconds for seconds, _ in queries) * 1000

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(path)
    profiler.disable()

    print(f"{path} ({'signed in' if args.signed_in else 'anonymous'}): {len(response.content) / 1024:.0f} KB, "
          f"{plain * 1000:.1f} ms a request unprofiled ({cpu * 1000:.1f} ms of it CPU in this process), "
          f"{len(queries)} queries taking {query_ms:.1f} ms")
    for seconds, sql in sorted(queries, reverse=True):
        print(f"  {seconds * 1000:7.2f} ms  {sql[:150]}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.limit)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
