"""Search latency on PostgreSQL with a million comments; append the results to RESULTS.md.

    .venv/bin/python bench/search.py [--comments 1000000] [--reuse-db] [--repeat 200] [--no-record]

Creates (or reuses) the database `talkhealth_search_bench`, migrates it and fills it with COPY:
people, threads and comments whose words follow a Zipf curve over a vocabulary of real health
words and a long tail of made-up ones, so some words are in a fifth of all comments and others in
a handful, as in real forums. The search triggers fill every vector as rows arrive; the search
indexes (RUM where the extension is available, else GIN, as the migrations made them) are built
once, after the load. Then, in this process, it times the search selector
(`programmes.search.selectors.site_search`, all three sources) and the whole /search/ page
(Django test client: middleware, form, template) for common, middling and rare words, a phrase and
an exclusion, anonymous and signed in. Every step is bounded and the run has a deadline.
"""

import argparse
import gc
import io
import math
import os
import random
import signal
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_pages import database_reset, machine, wait_for_quiet  # noqa: E402

TARGET_P99_MS = 100.0
DATABASE = "talkhealth_search_bench"

HEAD_WORDS = (
    "appointment gp surgery waiting pharmacy doctor nurse hospital referral prescription clinic phone "
    "online booking receptionist weeks months letter test results care support mental health service "
    "staff appointment ambulance emergency dentist diabetes cancer screening vaccination children carer "
    "discharge physiotherapy therapy counselling midwife maternity visitor translator interpreter access "
    "wheelchair parking transport bus train travel night weekend evening morning queue form email text "
    "app website record system change improve problem experience worry pain medicine treatment scan "
    "blood pressure check review follow-up specialist consultant ward bed operation surgery recovery "
    "home community neighbour family mum dad daughter son friend group library café council borough "
    "funding money cost free charge nhs trust partnership programme team meeting survey feedback idea "
    "question answer advice information leaflet language english polish bengali somali arabic urdu "
    "deaf blind autism dementia stroke asthma arthritis covid flu cough fever rash allergy eczema "
    "sleep anxiety depression loneliness isolation exercise walking park food diet weight smoking "
    "alcohol drugs housing homeless shelter hostel benefits job work shift school teacher student "
    "baby pregnancy birth scan midwife health visitor immunisation jab booster clinic pharmacy"
).split()
STOPWORDS = (
    "the a an and or but to of in on at for with about from by as is was were be been it this that "
    "i we you they my our your their he she his her me us them not no so very just really also too"
).split()
TAIL_TYPES = 40_000
ZIPF_S = 1.0
ZIPF_SHIFT = 10
CONTENT_SHARE = 0.5


def vocabulary(rng: random.Random) -> list[str]:
    """The content words in frequency order: real health words first, then made-up words that
    English stemming leaves as they are (consonant-vowel syllables, no English endings)."""
    head = list(dict.fromkeys(HEAD_WORDS))
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    seen, tail = set(head), []
    while len(tail) < TAIL_TYPES:
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.choice((3, 3, 4))))
        if word not in seen:
            seen.add(word)
            tail.append(word)
    return head + tail


class Writer:
    """Random text: content words on a Zipf-Mandelbrot curve (the shift keeps the most common in
    about a sixth of comments, not nearly all) between stop words."""

    def __init__(self, rng: random.Random):
        self.rng, self.words = rng, vocabulary(rng)
        weights = [1 / ((rank + ZIPF_SHIFT) ** ZIPF_S) for rank in range(1, len(self.words) + 1)]
        self.cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def text(self, low: int, high: int) -> str:
        rng = self.rng
        count = rng.randint(low, high)
        content = rng.choices(self.words, cum_weights=self.cumulative, k=max(1, int(count * CONTENT_SHARE)))
        glue = rng.choices(STOPWORDS, k=count - len(content))
        tokens = content + glue
        rng.shuffle(tokens)
        sentence = " ".join(tokens)
        return sentence[0].upper() + sentence[1:] + "."


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(cursor, model, rows, *, skip=("id", "search_vector")) -> int:
    """COPY `rows` (dicts by attname) into `model`'s table; other columns get the field default.
    Columns come from the model, so the loader follows schema changes by itself."""
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    buffer, count = io.StringIO(), 0

    def flush():
        buffer.seek(0)
        cursor.copy_expert(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN', buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join(_copy_value(row.get(f.attname, defaults[f.attname])) for f in fields))
        buffer.write("\n")
        count += 1
        if count % 50_000 == 0:
            flush()
    flush()
    return count


def generate(*, comments: int, threads: int, people: int, seed: int) -> dict:
    """Fill the database. The search indexes are dropped for the load and built once at the end,
    exactly as the migrations defined them (RUM where the extension is available, else GIN)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from accounts.models import User
    from forums.models import Board, Comment, Thread

    rng, writer = random.Random(seed), Writer(random.Random(seed + 1))
    now = datetime.now(dt_timezone.utc)
    started, steps = time.monotonic(), {}
    boards = list(Board.objects.filter(accepts_threads=True).values_list("pk", flat=True)) or list(
        Board.objects.values_list("pk", flat=True)
    )
    password = make_password("search-bench-not-a-real-password")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE indexname IN ('forums_thread_search', 'forums_comment_search') ORDER BY indexname"
        )
        search_indexes = cursor.fetchall()
        for name, _ in search_indexes:
            cursor.execute(f"DROP INDEX {name}")
        joined = now - timedelta(days=400)
        copy_rows(cursor, User, (
            {"email": f"searcher{n}@example.com", "display_name": f"Searcher {n}", "password": password,
             "email_verified": True, "is_active": True, "date_joined": joined}
            for n in range(people)
        ))
        user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))[-people:]
        steps["people"] = time.monotonic() - started

        def thread_rows():
            for _ in range(threads):
                created = now - timedelta(seconds=rng.uniform(3600, 365 * 86400))
                author = rng.choice(user_ids)
                body = writer.text(30, 120)
                roll = rng.random()
                yield {
                    "board_id": rng.choice(boards), "author_id": author, "title": writer.text(4, 12)[:-1],
                    "body": body, "body_html": f"<p>{body}</p>",
                    "visibility": "held" if roll < 0.005 else "hidden" if roll < 0.01 else "published",
                    "created_at": created, "last_activity_at": created, "last_poster_id": author,
                }

        copy_rows(cursor, Thread, thread_rows())
        thread_rows_ = list(Thread.objects.order_by("-pk").values_list("pk", "created_at")[:threads])
        steps["threads"] = time.monotonic() - started

        def comment_rows():
            for _ in range(comments):
                thread_id, thread_created = rng.choice(thread_rows_)
                body = writer.text(10, 60)
                roll = rng.random()
                deleted = roll < 0.01
                visibility = (
                    "removed" if roll < 0.015 else "hidden" if roll < 0.02 else "held" if roll < 0.025 else "published"
                )
                yield {
                    "thread_id": thread_id, "author_id": rng.choice(user_ids), "depth": 1,
                    "body": "" if deleted else body, "body_html": "" if deleted else f"<p>{body}</p>",
                    "visibility": "published" if deleted else visibility, "is_deleted": deleted,
                    "created_at": min(now, thread_created + timedelta(seconds=rng.uniform(60, 45 * 86400))),
                }

        copy_rows(cursor, Comment, comment_rows())
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        steps["comments (COPY, trigger fills the vectors)"] = time.monotonic() - started
        for _, definition in search_indexes:
            cursor.execute(definition)
        methods = sorted({definition.split(" USING ")[1].split()[0].upper() for _, definition in search_indexes})
        steps[f"{'/'.join(methods)} indexes"] = time.monotonic() - started
    with connection.cursor() as cursor:
        for table in ("accounts_user", "forums_thread", "forums_comment"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    steps["vacuum analyze"] = time.monotonic() - started
    return {"seconds": round(time.monotonic() - started, 1), "steps": {k: round(v, 1) for k, v in steps.items()}}


def ensure_updates(*, count: int, seed: int) -> int:
    """Published programme updates (about 300 words each, the same vocabulary), added until there
    are `count`, on a new or a reused database: the updates source is searched on every query, so
    the bench must give it something to find. Their trigger fills the vectors."""
    from django.db import connection, transaction

    from accounts.models import User
    from programmes.models import Programme
    from programmes.updates.models import Update

    missing = count - Update.objects.published().count()
    if missing > 0:
        rng, writer = random.Random(seed + 2), Writer(random.Random(seed + 3))
        programmes = list(Programme.objects.values_list("pk", flat=True))
        author = User.objects.filter(email__startswith="searcher").order_by("pk").values_list("pk", flat=True).first()
        now = datetime.now(dt_timezone.utc)

        def rows():
            for _ in range(missing):
                body, published = writer.text(200, 400), now - timedelta(seconds=rng.uniform(3600, 3 * 365 * 86400))
                yield {
                    "programme_id": rng.choice(programmes), "author_id": author, "title": writer.text(4, 10)[:-1][:150],
                    "summary": writer.text(10, 25)[:300], "body": body, "body_html": f"<p>{body}</p>",
                    "status": "published", "published_at": published, "created_at": published, "updated_at": published,
                }

        with transaction.atomic(), connection.cursor() as cursor:
            copy_rows(cursor, Update, rows())
            cursor.execute("ANALYZE programmes_update")
    return Update.objects.published().count()


def pick_terms(writer: Writer) -> list[tuple[str, str]]:
    """(label, query): common, middling and rare words by their place in the vocabulary, a phrase
    and an exclusion."""
    words = writer.words
    return [
        ("most common word", words[0]),
        ("common word (rank 5)", words[4]),
        ("two common words", f"{words[1]} {words[2]}"),
        ("middling word (rank 300)", words[299]),
        ("rare word (rank 5,000)", words[4999]),
        ("very rare word (rank 30,000)", words[29999]),
        ("phrase of common words", f'"{words[0]} {words[1]}"'),
        ("common word, minus another", f"{words[0]} -{words[1]}"),
        ("no match", "zzqxv"),
    ]


class CpuMeter:
    """The share of all CPUs that processes other than this one and its PostgreSQL backend used
    between `start()` and `stop()`, from /proc/stat: other people's work on a shared machine."""

    def __init__(self, backend_pid: int):
        self.pids = (os.getpid(), backend_pid)

    @staticmethod
    def _machine() -> tuple[int, int]:
        fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    def _ours(self) -> int:
        total = 0
        for pid in self.pids:
            try:
                raw = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            fields = raw[raw.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
        return total

    def start(self):
        self.begin = (*self._machine(), self._ours())

    def stop(self) -> float:
        busy, total, ours = (*self._machine(), self._ours())
        elapsed = max(total - self.begin[1], 1)
        return max(0.0, (busy - self.begin[0] - (ours - self.begin[2])) / elapsed)


def timed(fn, repeat: int) -> list[float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def measure(*, repeat: int, seed: int) -> tuple[list[dict], dict]:
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from forums.models import Comment
    from programmes.search import selectors
    from talkhealth import search
    from talkhealth.search import Filters

    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["testserver"]
    writer = Writer(random.Random(seed + 1))
    resident = User.objects.filter(email__startswith="searcher").order_by("pk").first()
    signed_in = Client()
    signed_in.force_login(resident)
    anonymous = Client()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        meter = CpuMeter(cursor.fetchone()[0])
    # As every server process does (talkhealth/wsgi.py): what start-up left alive is moved out of the
    # collector's sight, so a full collection scans only what requests create, not all of Django.
    gc.collect()
    gc.freeze()
    rows, plans = [], {}
    for label, query in pick_terms(writer):
        terms = search.parse(query)
        matching = Comment.objects.filter(search.matches(terms)).count()
        for viewer, user, client in (("anonymous", AnonymousUser(), anonymous), ("signed in", resident, signed_in)):
            found = selectors.site_search(user=user, terms=terms, filters=Filters())
            meter.start()
            selector = timed(lambda: selectors.site_search(user=user, terms=terms, filters=Filters()), repeat)
            page = timed(lambda: client.get("/search/", {"q": query}), max(20, repeat // 4))
            others = meter.stop()
            with CaptureQueriesContext(connection) as queries:
                client.get("/search/", {"q": query})
            rows.append({
                "label": label, "query": query, "viewer": viewer, "matching": matching, "results": found.total,
                "capped": found.capped, "selector": selector, "page": page, "queries": len(queries),
                "others": others,
            })
            print(f"  {label:32} {viewer:9} {matching:>8,} matching  selector p50 "
                  f"{statistics.median(selector):6.1f} p99 {p99(selector):6.1f} ms   page p50 "
                  f"{statistics.median(page):6.1f} p99 {p99(page):6.1f} ms   others' CPU {others:.0%}", flush=True)
        if label in ("most common word", "rare word (rank 5,000)", "phrase of common words"):
            matches = Comment.objects.visible_to(AnonymousUser()).filter(search.matches(terms))
            newest = ("-created_at", "-pk") if terms.has_phrase else ("-pk",)
            hits = matches.annotate(rank=search.rank(terms)).order_by(*newest).values_list("pk", "rank", "created_at")
            sql, params = hits[: selectors.CANDIDATES].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plans[label] = "\n".join(line for (line,) in cursor.fetchall())
    return rows, plans


def report(*, rows, plans, facts, box, args, generated) -> str:
    when = datetime.now(dt_timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    comments = facts["comments"]
    lines = [
        f"## Search, {when}",
        "",
        f"- Machine: {box['nproc']} CPUs ({box['cpu']}), {box['memory']} RAM; Python {box['python']}; "
        f"PostgreSQL {facts['postgres']}; code at commit {box['commit']}"
        + (f" with {box['dirty']} uncommitted files in the checkout" if box["dirty"] else "") + ".",
        f"- Data: {comments:,} comments in {facts['threads']:,} threads by {facts['people']:,} people, written by "
        f"`bench/search.py` with COPY (Zipf-distributed words: {len(HEAD_WORDS)} real health words, then "
        f"{TAIL_TYPES:,} made-up ones; about 2.5% of comments deleted, removed, hidden or held), and "
        f"{facts['updates']:,} published programme updates. "
        + (f"Loaded in {generated['seconds']} s ({', '.join(f'{k} {v} s' for k, v in generated['steps'].items())})."
           if generated else "Reused an earlier load."),
        f"- Measured in one process: the selector `site_search` (threads, comments and updates, ranked, first "
        f"page loaded with snippets; results capped at {facts['cap']}) {args.repeat} times, and the whole "
        f"/search/ page through the Django test client {max(20, args.repeat // 4)} times, each after 3 warm-up "
        f"runs, anonymous and signed in as a resident, with what start-up left alive frozen out of the garbage "
        f"collector's sight as `talkhealth/wsgi.py` does. 'Others' CPU' is the share of both CPUs that processes "
        f"other than the bench and its PostgreSQL backend used meanwhile (from /proc/stat); {facts['others']:.0%} "
        f"over the whole measurement. Above a few percent, a row's p99 mostly measures waiting for a CPU.",
        "",
        f"Target: p99 < {TARGET_P99_MS:.0f} ms.",
        "",
        "| query | viewer | comments matching | results | selector p50 ms | selector p99 ms | page p50 ms "
        "| page p99 ms | queries | others' CPU | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    missed = 0
    for row in rows:
        selector_p99, page_p99 = p99(row["selector"]), p99(row["page"])
        met = page_p99 < TARGET_P99_MS
        missed += not met
        results = f"{row['results']}{'+' if row['capped'] else ''}"
        lines.append(
            f"| {row['label']}: `{row['query']}` | {row['viewer']} | {row['matching']:,} "
            f"({row['matching'] / comments:.1%}) | {results} | {statistics.median(row['selector']):.1f} | "
            f"{selector_p99:.1f} | {statistics.median(row['page']):.1f} | {page_p99:.1f} | {row['queries']} | "
            f"{row['others']:.0%} | {'met' if met else 'MISSED'} |"
        )
    lines += ["", f"Page p99 under {TARGET_P99_MS:.0f} ms: {len(rows) - missed} of {len(rows)} rows.", ""]
    for label, plan in plans.items():
        lines += [f"<details><summary>Plan of the comment query, {label}</summary>", "", "```", plan, "```",
                  "", "</details>", ""]
    return "\n".join(lines)


def _deadline(signum, frame):
    raise TimeoutError("the search bench ran past its deadline (--max-seconds)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=40_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=300, help="Published programme updates to search as well.")
    parser.add_argument("--repeat", type=int, default=200, help="Timed runs of the selector per query and viewer.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL.")
    parser.add_argument("--reuse-db", action="store_true", help="Keep an existing, loaded bench database.")
    parser.add_argument("--no-record", action="store_true", help="Print the results without appending them.")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--max-seconds", type=int, default=3600, help="Deadline for the whole run.")
    parser.add_argument("--quiet-limit", type=float, default=0.1)
    parser.add_argument("--quiet-wait", type=int, default=300)
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _deadline)
    signal.alarm(args.max_seconds)

    needs_load = database_reset(f"{args.pg}/postgres", args.database, reuse=args.reuse_db)
    os.environ.update(
        DATABASE_URL=f"{args.pg}/{args.database}", DJANGO_SETTINGS_MODULE="talkhealth.settings.base",
        DEBUG="false", CONN_MAX_AGE="0",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from forums.models import Comment, Thread
    from programmes.search import selectors

    call_command("migrate", verbosity=0, interactive=False)
    generated = None
    if needs_load:
        print(f"Loading {args.comments:,} comments", flush=True)
        generated = generate(comments=args.comments, threads=args.threads, people=args.people, seed=args.seed)
        print(f"  loaded in {generated['seconds']} s: {generated['steps']}", flush=True)
    updates = ensure_updates(count=args.updates, seed=args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    facts = {
        "comments": Comment.objects.count(), "threads": Thread.objects.count(),
        "people": User.objects.filter(email__startswith="searcher").count(), "postgres": postgres,
        "cap": selectors.MAX_RESULTS, "updates": updates,
    }
    print("Checking the machine is quiet", flush=True)
    wait_for_quiet(args.quiet_limit, args.quiet_wait)
    rows, plans = measure(repeat=args.repeat, seed=args.seed)
    facts["others"] = statistics.mean(row["others"] for row in rows)
    text = report(rows=rows, plans=plans, facts=facts, box=machine(), args=args, generated=generated)
    print(text)
    if not args.no_record:
        with open(args.results, "a") as results:
            results.write("\n" + text + "\n")
        print(f"Appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
