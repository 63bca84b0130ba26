"""Where replies' cost to anonymous readers goes (issue 18, goal 4), on the mixed bench's server.

    .venv/bin/python bench/reply_cost.py [--rounds 3] [--seconds 20] [--no-record]

Works on the database bench/mixed.py made (`talkhealth_bench`; run that first). Starts gunicorn and
one Celery worker as bench/mixed.py does (the Procfile's variables and --preload, 2 sync workers,
page cache on), then runs `--rounds` rounds of three parts, `--seconds` each: anonymous reads
alone (wrk, 16 connections) from a page cache at rest (bench.mixed.at_rest: every URL read once,
PAGE_CACHE_ACTIVITY_SECONDS after the last reply), the same reads with 5 replies a second through the
reply form, and the replies alone. The replies alone give each reply's own CPU (gunicorn, PostgreSQL,
Celery, Redis); taking that from the gunicorn CPU of the reads with replies leaves what the reads
themselves cost beside the replies. Pages stored to the cache are counted from Redis (SET calls in
the reads with replies less those of the replies alone, which store no page: what replies made
readers render again). Appends a section to bench/RESULTS.md unless --no-record.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mixed import (  # noqa: E402
    Writer, at_rest, cpu_by_part, drain, lua_script, machine_ticks, start_worker, wrk_mixed,
)
from bench.notifications_fanout import stop_worker  # noqa: E402
from bench.run_pages import (  # noqa: E402
    HOST, VENV_BIN, BenchError, Server, bytecode, cpu_ticks, free_port, machine, run, run_options, run_start,
    server_env, server_options, settle, wait_for_quiet,
)

RATE = 5.0


def redis_sets(client) -> int:
    stats = client.info("commandstats")
    return sum(stats.get(name, {}).get("calls", 0) for name in ("cmdstat_set", "cmdstat_setex", "cmdstat_psetex"))


def part(base, reads, args, server, worker, client, writer=None) -> dict:
    """One part of a round: wrk's anonymous reads (unless `reads` is None: the replies alone) and the
    `writer`'s replies, with each part of the machine's CPU and the cache's SET calls."""
    drain(args.redis, 60, settle_seconds=2)
    before, machine_before, sets_before = cpu_ticks(), machine_ticks(), redis_sets(client)
    if writer is not None:
        writer.__enter__()
    try:
        if reads is not None:
            result = wrk_mixed(base, reads, connections=16, duration=args.seconds, threads=2)
        else:
            time.sleep(args.seconds)
            result = {"requests": 0, "rps": 0.0, "errors": 0}
    finally:
        if writer is not None:
            writer.__exit__(None, None, None)
    spent = {k: v - machine_before[k] for k, v in machine_ticks().items()}  # idle and steal under load
    drain(args.redis, 120, settle_seconds=3)  # the replies' Celery work counts in their part
    after = cpu_ticks()
    cpu = cpu_by_part(before, after, server_group=server.group, worker_group=worker.pid)
    replies = sum(writer.statuses.values()) if writer is not None else 0
    if writer is not None and (writer.errors or set(writer.statuses) != {302}):
        raise BenchError(f"replies failed: {dict(writer.statuses)}, {writer.errors} errors")
    return {**result, "replies": replies, "cpu": cpu, "sets": redis_sets(client) - sets_before,
            "idle": spent["idle"] / (spent["total"] or 1), "steal": spent["steal"] / (spent["total"] or 1)}


def report(rounds: list[dict], box: dict, args) -> str:
    lines = [
        f"## Reply cost, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC",
        "",
        f"- Machine: {box['nproc']} CPUs ({box['cpu']}), {box['memory']} RAM; Python {box['python']}; "
        f"{box['gunicorn']}; {box['wrk']}.",
        f"- Code: commit {box['commit']}"
        + (f" plus uncommitted changes to {box['dirty']} tracked files." if box["dirty"] else "."),
        "- Server and data: bench/mixed.py's (its database reused), gunicorn 2 sync workers, one Celery worker.",
        f"- Load: {args.rounds} rounds of {args.seconds} s each of anonymous reads alone (16 connections), the same "
        f"with {RATE:g} replies a second, and the replies alone.",
        "",
        "| round | reads/s alone | reads/s with replies | lost | gunicorn ms a read, alone | the same beside "
        "replies | a reply's own CPU ms: gunicorn / PostgreSQL / Celery / Redis | pages rendered again a reply "
        "| idle alone / with | steal alone / with |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(rounds, 1):
        alone, beside, own = r["alone"], r["beside"], r["own"]
        per = {k: own["cpu"][k] * 1000 / own["replies"] for k in ("gunicorn", "postgres", "celery", "redis")}
        lines.append(
            f"| {n} | {alone['rps']:.0f} | {beside['rps']:.0f} | {r['lost']:.0%} | {r['read_ms_alone']:.3f} | "
            f"{r['read_ms_beside']:.3f} | {per['gunicorn']:.1f} / {per['postgres']:.1f} / {per['celery']:.1f} / "
            f"{per['redis']:.1f} | {r['rendered']:.2f} | {alone['idle']:.0%} / {beside['idle']:.0%} | "
            f"{alone['steal']:.0%} / {beside['steal']:.0%} |"
        )
    own_ms = statistics.median(sum(r["own"]["cpu"][k] for k in ("gunicorn", "postgres", "celery", "redis"))
                               * 1000 / r["own"]["replies"] for r in rounds)
    lines += [
        "",
        f"Median of the rounds: readers lost {statistics.median(r['lost'] for r in rounds):.0%}; a reply's own CPU "
        f"{own_ms:.0f} ms, so {RATE:g} replies a second take {own_ms * RATE / 1000 / box['nproc']:.0%} of the "
        f"machine; a read's gunicorn CPU beside replies {statistics.median(r['read_growth'] for r in rounds):+.0%}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    server_options(parser)
    run_options(parser, max_seconds=1200)
    args = parser.parse_args()
    if not run_start(args.max_seconds):
        return 2
    import redis

    scratch = Path(tempfile.mkdtemp(prefix="talkhealth-reply-cost-"))
    python = str(VENV_BIN / "python")
    production = {**server_env(args, scratch, EMAIL_URL="dummymail://", PAGE_CACHE_SECONDS="300"),
                  "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = worker = None
    try:
        run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env=production, timeout=300)
        bytecode(production)
        run([python, "-m", "bench.django_steps", "mixed", scratch / "mixed.json"], env=production, timeout=300)
        facts = json.loads((scratch / "mixed.json").read_text())
        reads = scratch / "reads.lua"
        reads.write_text(lua_script(facts, anonymous=1.0, signed=0.0))
        settle(args.pg, args.database)
        wait_for_quiet(args.quiet_limit, args.quiet_wait, args.database)
        port = free_port()
        base = f"http://{HOST}:{port}"
        server = Server(env=production, port=port, workers=2, log_path=scratch / "server.log")
        server.start()
        worker = start_worker(production, scratch / "server.log")
        client = redis.Redis.from_url(args.redis)
        rounds, sent, last_write = [], 0, 0.0
        for n in range(args.rounds):
            print(f"Round {n + 1} of {args.rounds}", flush=True)
            at_rest(base, facts["reads"], last_write)  # the last round's replies left no listing to render again
            alone = part(base, reads, args, server, worker, client)
            writer = Writer(port, facts["sessions"], facts["targets"], RATE, first=sent)
            beside = part(base, reads, args, server, worker, client, writer)
            sent += writer.sent
            writer = Writer(port, facts["sessions"], facts["targets"], RATE, first=sent)
            own = part(base, None, args, server, worker, client, writer)
            sent += writer.sent
            last_write = time.monotonic()
            own_gunicorn = own["cpu"]["gunicorn"] / own["replies"]
            read_alone = alone["cpu"]["gunicorn"] / alone["requests"]
            read_beside = (beside["cpu"]["gunicorn"] - own_gunicorn * beside["replies"]) / beside["requests"]
            rounds.append({
                "alone": alone, "beside": beside, "own": own, "lost": 1 - beside["rps"] / alone["rps"],
                "read_ms_alone": read_alone * 1000, "read_ms_beside": read_beside * 1000,
                "read_growth": read_beside / read_alone - 1,
                "rendered": (beside["sets"] / beside["replies"]) - (own["sets"] / own["replies"]),
            })
        section = report(rounds, machine(), args)
        print("\n" + section)
        if not args.no_record:
            args.results.write_text(args.results.read_text().rstrip("\n") + "\n\n" + section)
            print(f"Appended to {args.results}")
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if worker is not None:
            stop_worker(worker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
