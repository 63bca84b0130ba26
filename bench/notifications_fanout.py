"""Fan out one programme update to many followers; time the rows and the emails; append to RESULTS.md.

    .venv/bin/python bench/notifications_fanout.py [--followers 50000] [--mode workers|inline]
        [--concurrency 2] [--reuse-db] [--no-record]

Creates (or reuses) the PostgreSQL database `talkhealth_bench_notify`, migrates it and seeds
`--followers` people who follow one programme, each verified and choosing programme updates
"straight away" (the worst case: one email each). Then publishes one update through
`programmes.notifications.programme_followers_notify` and measures:

- publish: the publishing transaction and queueing the fan-out (what a request would wait for);
- rows: until every notification row exists (the fan-out's completed_at), in rows/s;
- emails: until every email has been handed to the mail backend, in emails/s.

`--mode workers` (the default) runs a real `celery worker` (prefork, `--concurrency` processes) on
Redis and this process only publishes; `--mode inline` runs Celery eagerly in this one process.
Email goes to bench.counting_email.CountingBackend: each MIME message is built, then counted in
Redis instead of sent. Needs PostgreSQL on 127.0.0.1:5432 (role postgres, trust) and Redis on
127.0.0.1:6379. Every wait has a timeout and the worker is stopped however the run ends.
"""

import argparse
import os
import platform
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "talkhealth_bench_notify"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PROGRAMME = "cancer"
EVENT_KEY = "bench.update:1"
BATCH = 5000

sys.path.insert(0, str(ROOT))

from bench.run_pages import bytecode, procfile  # noqa: E402


class BenchError(Exception):
    pass


def database_reset(*, reuse: bool) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        exists = cursor.fetchone() is not None
        if exists and not reuse:
            cursor.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    connection.close()


def configure(*, queue: str, eager: bool) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.notifications_settings",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "bench-notifications-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "SITE_URL": "https://talkhealth.bench",
        "BENCH_QUEUE": queue,
        "BENCH_EAGER": "1" if eager else "0",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    import django

    django.setup()
    return {**os.environ, **env}


def seed(followers: int) -> float:
    """People following the programme, verified and wanting its updates at once. Returns seconds."""
    from django.db import connection

    from accounts.models import Notification, NotificationFanOut, NotificationPreference, User
    from programmes.models import Programme, ProgrammeFollow

    started = time.monotonic()
    Notification.objects.all().delete()
    NotificationFanOut.objects.all().delete()
    programme = Programme.objects.get(slug=PROGRAMME)
    have = User.objects.filter(email__endswith="@bench.example").count()
    if have != followers:
        User.objects.filter(email__endswith="@bench.example").delete()
        for start in range(0, followers, BATCH):
            numbers = range(start, min(start + BATCH, followers))
            people = User.objects.bulk_create(
                [
                    User(
                        email=f"follower{n}@bench.example",
                        display_name=f"Follower {n}",
                        password="!",
                        email_verified=True,
                    )
                    for n in numbers
                ]
            )
            ProgrammeFollow.objects.bulk_create([ProgrammeFollow(user=p, programme=programme) for p in people])
            NotificationPreference.objects.bulk_create(
                [NotificationPreference(user=p, category="programme_update", frequency="immediately") for p in people]
            )
    User.objects.update(unread_notification_count=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.monotonic() - started


def start_worker(env: dict, queue: str, concurrency: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "talkhealth.worker", "--pool", "prefork",
        "--concurrency", str(concurrency), "--queues", queue, "--hostname", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, **procfile("worker")[0]}, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if f"{queue}@" in log_path.read_text(errors="replace") and " ready." in log_path.read_text(errors="replace"):
            return process
        if process.poll() is not None:
            raise BenchError(f"the worker exited:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    raise BenchError("the worker did not start within 60 s")


def stop_worker(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def forget_queue(queue: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)


def publish() -> tuple[float, datetime, float]:
    from django.db import transaction
    from django.utils import timezone

    from programmes.models import Programme
    from programmes.notifications import programme_followers_notify

    programme = Programme.objects.get(slug=PROGRAMME)
    began_at = timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        programme_followers_notify(
            programme=programme,
            event_key=EVENT_KEY,
            title="New screening vans are visiting four boroughs this spring",
            url=f"/programmes/{PROGRAMME}/#update-1",
            excerpt="<p>From March, mobile screening vans will visit Barking, Newham, Brent and Croydon.</p>",
        )
    return time.monotonic() - started, began_at, started


def wait_for_all(followers: int, began_at: datetime, started: float, *, timeout: float) -> dict:
    """Poll until the fan-out is complete and the backend has every email; then check nothing more comes."""
    import redis
    from django.db.models import Count

    from accounts.models import EmailStatus, Notification, NotificationFanOut
    from bench.counting_email import EMAILS_KEY

    client = redis.Redis.from_url(REDIS_URL)
    rows_seconds = emails_seconds = None
    while time.monotonic() - started < timeout:
        if rows_seconds is None:
            fan_out = NotificationFanOut.objects.filter(event_key=EVENT_KEY).first()
            if fan_out and fan_out.completed_at:
                rows_seconds = (fan_out.completed_at - began_at).total_seconds()
        if emails_seconds is None and int(client.get(EMAILS_KEY) or 0) >= followers:
            emails_seconds = time.monotonic() - started
        if rows_seconds is not None and emails_seconds is not None:
            break
        time.sleep(0.05)
    else:
        raise BenchError(
            f"not done within {timeout:.0f} s: {Notification.objects.filter(event_key=EVENT_KEY).count()} rows, "
            f"{int(client.get(EMAILS_KEY) or 0)} emails"
        )
    time.sleep(3)
    statuses = dict(
        Notification.objects.filter(event_key=EVENT_KEY).order_by().values_list("email_status").annotate(n=Count("pk"))
    )
    return {
        "rows_seconds": rows_seconds,
        "emails_seconds": emails_seconds,
        "rows": Notification.objects.filter(event_key=EVENT_KEY).count(),
        "emails": int(client.get(EMAILS_KEY) or 0),
        "sent_rows": statuses.get(EmailStatus.SENT, 0),
        "statuses": statuses,
    }


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0].split(" on ")[0]
    import django

    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{cpus} CPUs, {memory:.1f} GiB RAM; Python {python}; {postgres}; Django {django.get_version()}"


def record(text: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    with path.open("a") as handle:
        handle.write(text)
    print(f"appended to {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=50_000)
    parser.add_argument("--mode", choices=["workers", "inline"], default="workers")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (workers mode)")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database and its people between runs")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--no-record", action="store_true", help="print the results, do not append to RESULTS.md")
    args = parser.parse_args()

    queue = f"bench-notifications-{uuid.uuid4().hex[:8]}"
    database_reset(reuse=args.reuse_db)
    env = configure(queue=queue, eager=args.mode == "inline")

    import redis
    from django.core.management import call_command

    from bench.counting_email import CONNECTIONS_KEY, EMAILS_KEY

    call_command("migrate", verbosity=0)
    seed_seconds = seed(args.followers)
    print(f"seeded {args.followers:,} followers in {seed_seconds:.1f} s", flush=True)
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(EMAILS_KEY, f"{EMAILS_KEY}:bytes", CONNECTIONS_KEY)

    worker = None
    log_path = ROOT / "var" / f"{queue}.log"
    log_path.parent.mkdir(exist_ok=True)
    load_before = os.getloadavg()
    try:
        if args.mode == "workers":
            bytecode(env)
            worker = start_worker(env, queue, args.concurrency, log_path)
        publish_seconds, began_at, started = publish()
        print(f"published in {publish_seconds * 1000:.0f} ms", flush=True)
        result = wait_for_all(args.followers, began_at, started, timeout=args.timeout)
    finally:
        stop_worker(worker)
        forget_queue(queue)
    load_after = os.getloadavg()

    from django.db import connection as db

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    connections = int(client.get(CONNECTIONS_KEY) or 0)
    megabytes = int(client.get(f"{EMAILS_KEY}:bytes") or 0) / 2**20
    ok = result["rows"] == result["emails"] == result["sent_rows"] == args.followers
    mode = (
        f"workers: one `celery worker`, prefork, {args.concurrency} processes, Redis broker; "
        "this process only publishes"
        if args.mode == "workers"
        else "inline: Celery eager, everything in this one process (fan-out, then each chunk's emails on its commit)"
    )
    n = args.followers
    text = f"""
## Notification fan-out ({args.mode}), {datetime.now(dt_timezone.utc):%Y-%m-%d %H:%M} UTC

Written by `bench/notifications_fanout.py`: one programme update to {n:,} followers, through
`programmes.notifications.programme_followers_notify` (the staff feature's call).

- Machine: {machine()}. Load average {load_before[0]:.2f} before the run, {load_after[0]:.2f} after (2 CPUs shared with other engineers' test runs).
- Code: commit {commit.stdout.strip() or "unknown"}.
- Mode: {mode}.
- Data: {n:,} people following one programme, every one verified and choosing programme updates "straight away" (the worst case: one email each; the default is a daily digest). Seeded in {seed_seconds:.0f} s.
- Email: `bench.counting_email.CountingBackend` builds each MIME message ({megabytes / max(n, 1) * 1024:.1f} KB each, HTML and text) and counts it in Redis instead of sending: no SMTP round trips.
- Settings: {db.settings_dict["ENGINE"].rsplit(".", 1)[-1]}, fan-out chunks of {_setting("NOTIFICATIONS_FAN_OUT_CHUNK"):,} rows, {_setting("NOTIFICATIONS_EMAIL_BATCH")} emails per task over one connection.

| measure | time | rate |
|---|---|---|
| publish (the transaction and queueing the fan-out: what a request waits for) | {publish_seconds * 1000:.0f} ms | – |
| every notification row written | {result["rows_seconds"]:.1f} s | {n / result["rows_seconds"]:,.0f} rows/s |
| every email handed to the backend | {result["emails_seconds"]:.1f} s | {n / result["emails_seconds"]:,.0f} emails/s |

Check: {result["rows"]:,} rows, {result["emails"]:,} emails counted by the backend, {result["sent_rows"]:,} rows marked sent, {connections:,} mail connections ({n / max(connections, 1):.0f} emails each): {"each follower exactly once" if ok else "MISMATCH: " + repr(result["statuses"])}.
"""
    print(text)
    if not args.no_record:
        record(text)
    return 0 if ok else 1


def _setting(name: str):
    from django.conf import settings

    return getattr(settings, name)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        sys.exit(2)
