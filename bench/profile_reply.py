"""Profile posting a reply in-process: the POST through the real view and the Celery work it queues.

    .venv/bin/python bench/profile_reply.py [--replies 40] [--sort tottime] [--limit 30]

Works on a scratch copy of the page bench's database (`talkhealth_bench`, made by bench/run_pages.py
or bench/mixed.py), so the bench database is left as it was. Replies go as bench/mixed.py posts them:
each from a different established resident, round 20 open threads. Celery runs eagerly (no
REDIS_URL), so each reply's notification work (the fan-out to the thread's followers, the emails)
runs at commit inside the request; the profile shows the two apart by their functions. Prints the
CPU time per reply in this process, the queries of one reply with their time, and the cProfile.
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
sys.path.insert(0, str(ROOT))

from bench.profile_page import query_timer  # noqa: E402
from bench.run_pages import _admin_execute  # noqa: E402

SCRATCH = "talkhealth_profile_reply"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=40)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--callees", action="append", default=[], help="Also list what this function calls (a regex).")
    parser.add_argument(
        "--cpu", action="store_true", help="Profile CPU time (process_time), not wall time: waits on PostgreSQL drop out."
    )
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--source", default="talkhealth_bench")
    args = parser.parse_args()

    _admin_execute(f"{args.pg}/postgres", f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    _admin_execute(f"{args.pg}/postgres", f'CREATE DATABASE "{SCRATCH}" TEMPLATE "{args.source}"')
    try:
        return profile(args)
    finally:
        _admin_execute(f"{args.pg}/postgres", f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def profile(args) -> int:
    os.environ.update({
        "DATABASE_URL": f"{args.pg}/{SCRATCH}", "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base",
        "DEBUG": "false", "REDIS_URL": "", "PAGE_CACHE_SECONDS": "0",
    })  # fmt: skip
    import django

    django.setup()
    import logging

    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bench.django_steps import mixed
    from forums.models import Comment

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    traffic = mixed(posters=args.replies * 2 + 1, targets=20, threads_read=0)
    clients = []
    for session in traffic["sessions"]:
        client = Client()
        for pair in session["cookie"].split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        clients.append((client, session["token"]))
    targets = traffic["targets"]

    def post(n: int) -> None:
        client, token = clients[n]
        body = f"Profile reply {n}: the clinic letter came late and the phone line was busy all week."
        response = client.post(targets[n % len(targets)], {"body": body, "csrfmiddlewaretoken": token})
        if response.status_code != 302:
            raise SystemExit(f"reply {n} answered {response.status_code}")

    post(0)  # warm
    queries = []
    with connection.execute_wrapper(query_timer(queries)):
        post(1)
    half = args.replies
    started, cpu_started = time.perf_counter(), time.process_time()
    for n in range(2, half + 2):
        post(n)
    wall = (time.perf_counter() - started) / half
    cpu = (time.process_time() - cpu_started) / half

    profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    profiler.enable()
    for n in range(half + 2, 2 * half + 1):
        post(n)
    profiler.disable()

    print(f"{half} replies: {wall * 1000:.1f} ms each unprofiled ({cpu * 1000:.1f} ms of it CPU in this process, "
          f"request and eager Celery work together); one reply made {len(queries)} queries taking "
          f"{sum(s for s, _ in queries) * 1000:.1f} ms; {Comment.objects.filter(body__startswith='Profile reply').count()} stored")
    for seconds, sql in queries:
        print(f"  {seconds * 1000:7.2f} ms  {sql[:160]}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
    stats.print_stats(args.limit)
    for name in args.callees:
        stats.print_callees(name)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
