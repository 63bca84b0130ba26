"""Load-test the discussion pages against a no-database floor; append the results to RESULTS.md.

    .venv/bin/python bench/run_pages.py [--duration 15] [--connections 16] [--reuse-db] [--no-record]

Creates (or reuses) the PostgreSQL database `talkhealth_bench`, migrates and seeds it, collects
static files into a scratch directory, then runs gunicorn (2 sync workers, production settings)
on 127.0.0.1 and measures each page with wrk: first without the anonymous page cache, then with
it. Only 127.0.0.1 is ever loaded. Every step has a timeout, the whole run has a deadline, and
gunicorn is stopped however the run ends.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"

# Issue 18, against the bare-Django floor (bench/floor): comments per floor-request on the thread
# of 25 flat comments, and a cache hit's share of the floor's requests/s.
TARGET_ANONYMOUS = 2.5
TARGET_SIGNED_IN = 1.5
TARGET_P99_MS = 250.0
TARGET_CACHED_SHARE = 0.9
MIN_REQUESTS = 30


class BenchError(Exception):
    pass


def _deadline_reached(signum, frame):
    raise BenchError("The whole run passed its deadline (--max-seconds); stopping.")


def _stop_requested(signum, frame):
    raise BenchError(f"Stopped by signal {signum}.")


def run(cmd, *, env, timeout, quiet=False):
    print(f"$ {' '.join(str(part) for part in cmd)}", flush=True)
    result = subprocess.run(
        cmd, cwd=ROOT, env=env, timeout=timeout, text=True,
        stdout=subprocess.PIPE if quiet else None, stderr=subprocess.STDOUT if quiet else None,
    )
    if result.returncode != 0:
        raise BenchError(f"{cmd[0]} failed with exit code {result.returncode}:\n{result.stdout or ''}")
    return result


def procfile(process: str) -> tuple[dict[str, str], str]:
    """The Procfile's `process` line: the variables it sets before its command (PYTHONOPTIMIZE=2),
    and the command. The benches start gunicorn and the Celery worker as it does."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith(f"{process}:"))
    command = line.split(":", 1)[1].strip()
    assignments = re.match(r"((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)", command).group(1)
    return dict(word.split("=", 1) for word in assignments.split()), command[len(assignments) :]


def bytecode(env: dict) -> None:
    """Compile the bytecode the Procfile's optimised processes read (`make bytecode`), as a deploy does."""
    run(["make", "-s", "bytecode"], env=env, timeout=600)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database_reset(admin_url: str, name: str, *, reuse: bool) -> bool:
    """Create `name` afresh (or keep it with `reuse`). True when the database needs seeding."""
    import psycopg2

    connection = psycopg2.connect(admin_url, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and reuse:
                return False
            if exists:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                )
                cursor.execute(f'DROP DATABASE "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        connection.close()


def _admin_execute(admin_url: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def planner_settings(admin_url: str, name: str) -> None:
    """random_page_cost 1.1, the usual setting for PostgreSQL on SSDs (the default, 4, models
    spinning disks). It matters here because the bench has only a few thousand people: at the
    default the planner would rather hash the whole user table than look up a page's 60 authors
    by index, which a site with real numbers of people never would."""
    _admin_execute(admin_url, f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def settle(pg: str, name: str) -> None:
    """Leave PostgreSQL nothing of its own to do during the measurements: VACUUM ANALYZE the whole
    database (the seed's tables, and the sessions, notifications and replies that preparing or an
    earlier --reuse-db run wrote), so autovacuum does not start on them mid-run, then CHECKPOINT, so
    the dirty pages are on disk before the server's spread-out checkpoint would compete for the disk
    and the CPUs."""
    _admin_execute(f"{pg}/{name}", "VACUUM ANALYZE")
    _admin_execute(f"{pg}/postgres", "CHECKPOINT")


class Server:
    """gunicorn in its own process group, so stopping it stops its workers too. Talk Health's is
    started as the Procfile starts it: --preload, and the hooks in talkhealth/gunicorn_config.py."""

    def __init__(self, *, env, port, workers, log_path, app="talkhealth.wsgi:application", health="/healthz",
                 options=(), config="python:talkhealth.gunicorn_config"):
        self.env, self.port, self.workers, self.log_path = env, port, workers, log_path
        self.app, self.health = app, health
        self.options = [*(("--config", config) if config else ()), *options]
        self.process = None

    @property
    def group(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self, timeout=40):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [
                VENV_BIN / "gunicorn", self.app, "--preload", "--workers", str(self.workers),
                "--bind", f"{HOST}:{self.port}", "--chdir", str(ROOT), "--timeout", "30", "--log-level", "warning",
                *self.options,
            ],
            cwd=ROOT, env={**self.env, **procfile("web")[0]}, stdout=log, stderr=log, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}{self.health}", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer /healthz within {timeout}s; see {self.log_path}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=5)


def cpu_ticks() -> dict[tuple[int, int], tuple[str, int, int]]:
    """(pid, start time) -> (command, process group, CPU ticks used so far), for every process.
    Keyed by start time too, so a reused pid is a new process and an exec is the same one. A process
    group's leader also counts the CPU of the children it has reaped (gunicorn's master the workers
    it replaced, Celery's the pool processes, PostgreSQL's the backends that ended), which no later
    snapshot would see; this script's own are left out (wrk is counted from its rusage)."""
    ticks, own = {}, os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        command, fields = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
        if command.startswith("postgres"):
            try:  # a backend's title names its database: "postgres: 15/main: user db host(port) state"
                title = open(f"/proc/{entry}/cmdline").read().replace("\x00", " ").strip() or command
            except OSError:
                title = command
            # The postmaster keeps its command line (".../bin/postgres -D ..."). It is PostgreSQL, and
            # the CPU of every backend that ended (a connection past CONN_MAX_AGE) is counted with it.
            command = title if title.startswith("postgres") else f"postgres (postmaster) {title}"
        used = int(fields[11]) + int(fields[12])
        if int(entry) == int(fields[2]) != own:  # cutime + cstime: children waited for
            used += int(fields[13]) + int(fields[14])
        ticks[(int(entry), int(fields[19]))] = (command, int(fields[2]), used)
    return ticks


def cpu_deltas(before, after) -> list[tuple[tuple[int, int], str, int, int]]:
    """(key, command, process group, CPU ticks) each process used between the snapshots. A process
    that ended meanwhile counts minus what it had used by the first: its reaper, a group leader,
    now counts its whole life among its children's time (see cpu_ticks)."""
    deltas = [(key, command, group, total - before.get(key, ("", 0, 0))[2])
              for key, (command, group, total) in after.items()]
    deltas += [(key, command, group, -total) for key, (command, group, total) in before.items() if key not in after]
    return deltas


def group_cpu_seconds(before, after, group: int) -> float:
    """CPU seconds the processes of `group` (gunicorn and its workers) used between the snapshots."""
    used = sum(ticks for _, _, g, ticks in cpu_deltas(before, after) if g == group)
    return used / os.sysconf("SC_CLK_TCK")


def other_cpu_share(before, after, seconds: float, *, own_group: int | None, database: str = "") -> float:
    """The share of all CPUs used meanwhile by processes other than the server, wrk and PostgreSQL
    serving `database` (its shared background processes included): other people's work on a shared
    machine, which the numbers cannot be trusted through, queries on other databases included. A
    process that started and ended between the snapshots counts through the group leader that
    reaped it, or not at all."""
    used = sum(other_cpu_by_process(before, after, own_group=own_group, database=database).values())
    return _share(used, seconds)


def _share(ticks: int, seconds: float) -> float:
    return max(0, ticks) / os.sysconf("SC_CLK_TCK") / seconds / os.cpu_count()


def other_cpu_by_process(before, after, *, own_group: int | None, database: str = "") -> dict[str, int]:
    """The CPU ticks other_cpu_share counts, by command (a group leader's include the children it reaped)."""
    used: dict[str, int] = {}
    for _, command, group, ticks in cpu_deltas(before, after):
        if group == own_group or command == "wrk":
            continue
        if command.startswith("postgres") and not _serves_other_database(command, database):
            continue
        used[command] = used.get(command, 0) + ticks
    return used


def other_cpu_leader(used: dict[str, int], seconds: float) -> str:
    """Of other_cpu_by_process's `used`, the process that used the most and its share of all CPUs,
    when that is above 5%: "kswapd0 31%"."""
    if not used:
        return ""
    command, ticks = max(used.items(), key=lambda item: item[1])
    share = _share(ticks, seconds)
    return f"{command[:40]} {share:.0%}" if share > 0.05 else ""


def _serves_other_database(title: str, database: str) -> bool:
    """A PostgreSQL backend (title "postgres: 15/main: <user> <database> <host>...") for another database."""
    parts = title.split()
    is_backend = len(parts) >= 5 and parts[1].endswith(":") and ("(" in parts[4] or parts[4] == "[local]")
    return database != "" and is_backend and parts[3] != database


def steal_ticks() -> int:
    """CPU time the hypervisor gave to other machines while this one wanted it (/proc/stat 'steal')."""
    with open("/proc/stat") as stat:
        return int(stat.readline().split()[8])


def wait_for_quiet(limit: float, patience: int, database: str = "") -> float:
    """Wait up to `patience` seconds for other processes to use less than `limit` of the CPUs."""
    deadline = time.monotonic() + patience
    while True:
        before = cpu_ticks()
        time.sleep(5)
        share = other_cpu_share(before, cpu_ticks(), 5, own_group=None, database=database)
        if share < limit or time.monotonic() > deadline:
            return share
        print(f"  other processes use {share:.0%} of the CPUs; waiting for under {limit:.0%}", flush=True)


def fetch(url: str, cookie: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def probe(base: str, page: dict) -> dict:
    """Check the page answers 200 as the intended viewer, and count what it shows."""
    status, body = fetch(base + page["path"], page["cookie"])
    if status != 200:
        raise BenchError(f"{page['path']} answered {status}, not 200: nothing to measure.")
    if ("Sign out" in body) != bool(page["cookie"]):
        viewer = "signed-in" if page["cookie"] else "anonymous"
        raise BenchError(f"{page['path']} was not rendered for a {viewer} viewer.")
    return {
        "bytes": len(body.encode()),
        "comments": body.count('class="th-comment th-comment--depth-'),
        "threads": body.count('class="th-thread-list__item"'),
    }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, *, cookie, connections, duration, threads=1) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 30)
    out = result.stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.M))
    if result.returncode != 0 or "Requests/sec" not in out or "99" not in latency:
        raise BenchError(f"wrk failed on {url}:\n{out}\n{result.stderr}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _millis(latency["50"]),
        "p99": _millis(latency["99"]),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def measure(base, pages, args, server) -> dict:
    """Warm each page for a moment, then one full wrk run per page at the chosen concurrency and
    a shorter one at two connections, which shows service time without queueing."""
    results = {}
    for page in pages:
        page_base, page_server = page.get("base", base), page.get("server", server)
        url = page_base + page["path"]
        wrk(url, cookie=page["cookie"], connections=args.connections, duration=2)
        print(f"  {page['name']:<22} ", end="", flush=True)
        before, steal_before, started = cpu_ticks(), steal_ticks(), time.monotonic()
        loaded = wrk(url, cookie=page["cookie"], connections=args.connections, duration=args.duration)
        after, seconds = cpu_ticks(), time.monotonic() - started
        others = other_cpu_by_process(before, after, own_group=page_server.group, database=args.database)
        other, leader = _share(sum(others.values()), seconds), other_cpu_leader(others, seconds)
        steal = (steal_ticks() - steal_before) / os.sysconf("SC_CLK_TCK") / seconds / os.cpu_count()
        server_ms = group_cpu_seconds(before, after, page_server.group) * 1000 / max(loaded["requests"], 1)
        quiet = wrk(url, cookie=page["cookie"], connections=2, duration=args.quiet_duration)
        results[page["name"]] = {**page, **probe(page_base, page), **loaded, "p99_quiet": quiet["p99"], "other_cpu": other,
                                 "other_leader": leader,
                                 "steal": steal, "server_ms": server_ms}
        print(f"{loaded['rps']:8.1f} req/s  p50 {loaded['p50']:7.1f} ms  p99 {loaded['p99']:7.1f} ms"
              f"  (2 conns: p99 {quiet['p99']:.1f} ms)  server CPU {server_ms:.1f} ms/request"
              f"  other processes: {other:.0%} CPU{f' (most: {leader})' if leader else ''}, steal {steal:.0%}",
              flush=True)
    return results


def _tool_version(cmd) -> str:
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (result.stdout or result.stderr).strip().splitlines()[0] if (result.stdout or result.stderr) else "unknown"


def machine() -> dict:
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = "unknown"
    try:
        kib = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    git = git or os.environ.get("BENCH_COMMIT", "unknown (not a git checkout)")
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "python": platform.python_version(),
        "wrk": _tool_version(["wrk", "--version"]), "gunicorn": _tool_version([VENV_BIN / "gunicorn", "--version"]),
        "commit": git.strip(), "dirty": len(dirty),
    }


def _row(result, floor, *, cache: str) -> tuple[str, list[str]]:
    """One table row and the verdicts on its targets. A run with too few requests, socket errors or
    error responses is marked invalid and judged on nothing."""
    share = result["rps"] / floor["rps"]
    threaded = result["kind"] in ("thread", "flat")
    shown = result["comments"] if threaded else result["threads"]
    score = result["rps"] * shown / floor["rps"] if threaded else None
    cpu_score = floor["server_ms"] / result["server_ms"] * shown if threaded else None
    verdicts = []
    if result["requests"] < MIN_REQUESTS or result["errors"] or result["non_2xx"]:
        verdicts.append(
            f"INVALID: {result['requests']} requests, {result['errors']} socket errors, {result['non_2xx']} non-2xx"
        )
    else:
        if result["kind"] == "flat" and cache == "off":
            target = TARGET_SIGNED_IN if result["cookie"] else TARGET_ANONYMOUS
            verdicts.append(f"score ≥ {target}: {'met' if score >= target else 'MISSED'}")
        if cache == "on" and result["kind"] not in ("floor", "app-floor"):
            met = share >= TARGET_CACHED_SHARE
            verdicts.append(f"≥ {TARGET_CACHED_SHARE:.0%} of floor: {'met' if met else 'MISSED'}")
        if result["kind"] not in ("floor", "app-floor"):
            verdicts.append(f"p99 < {TARGET_P99_MS:.0f} ms: {'met' if result['p99'] < TARGET_P99_MS else 'MISSED'}")
    cells = [
        result["label"], "signed in" if result["cookie"] else "anonymous", cache,
        f"{shown} {'comments' if threaded else 'threads'}" if "floor" not in result["kind"] else "–",
        f"{result['bytes'] / 1024:.0f}", f"{result['rps']:.1f}", f"{result['p50']:.1f}", f"{result['p99']:.1f}",
        f"{result['p99_quiet']:.1f}", f"{share:.1%}", f"{score:.2f}" if score is not None else "–",
        f"{result['server_ms']:.1f}", f"{cpu_score:.2f}" if cpu_score is not None else "–",
        f"{result['other_cpu']:.0%}" + (f" ({result['other_leader']})" if result.get("other_leader") else ""),
        f"{result['steal']:.0%}", "; ".join(verdicts) or "–",
    ]
    return "| " + " | ".join(cells) + " |", verdicts


def report(*, uncached, cached, facts, box, args, seed_seconds) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Pages, {now}",
        "",
        f"- Machine: {box['nproc']} CPUs ({box['cpu']}), {box['memory']} RAM; Python {box['python']}; "
        f"{facts['database_version'].split(' on ')[0]}; Django {facts['django_version']}; {box['gunicorn']}; "
        f"{box['wrk']}.",
        f"- Code: commit {box['commit']}"
        + (f" plus uncommitted changes to {box['dirty']} tracked files in the checkout." if box["dirty"] else "."),
        f"- Machine load: other processes used {facts['other_cpu_at_start']:.0%} of the CPUs just before the run "
        "(see the 'other CPU' column for each row).",
        f"- Server: gunicorn --preload, {args.workers} sync workers, bench.settings (production settings, DEBUG off, "
        f"static files from a scratch STATIC_ROOT), PostgreSQL (random_page_cost 1.1, autovacuum as the server has it; "
        f"the whole database VACUUM ANALYZEd and checkpointed just before the runs) and Redis on the same machine "
        "as wrk.",
        f"- Load: wrk, 1 thread, {args.connections} connections, {args.duration} s per page after a 2 s warm-up; "
        f"'p99 @2' is a separate {args.quiet_duration} s run at 2 connections (service time without queueing).",
        f"- Data: {facts['comments_total']:,} comments in {facts['threads_total']:,} threads"
        + (f", seeded in {seed_seconds:.0f} s" if seed_seconds is not None else " (database reused)")
        + f". The thread has {facts['thread_comments']:,} comments, {facts['thread_top_level']} top-level, over "
        f"{facts['thread_pages']} pages; the board has {facts['board_threads']} threads; signed in as a resident "
        "with likes and replies in the thread.",
        "",
        "The floor is a separate bare Django project (bench/floor: startproject's settings and middleware, one "
        "view rendering a 10 KB template, no database) served by the same gunicorn command, measured in each half "
        "of the run; 'Talk Health floor view' is the same page inside Talk Health. "
        "Score = requests/s × comments on the page ÷ floor requests/s: comments per floor-request. "
        f"Targets (issue 18): the thread of 25 flat comments ≥ {TARGET_ANONYMOUS} anonymous and ≥ "
        f"{TARGET_SIGNED_IN} signed in, p99 < {TARGET_P99_MS:.0f} ms; cached anonymous pages ≥ "
        f"{TARGET_CACHED_SHARE:.0%} of the floor. "
        "'Server CPU ms/req' is the CPU gunicorn and its workers spent per request (PostgreSQL not included), "
        "which other load on the machine barely changes; 'CPU score' is the score computed from it (floor "
        "CPU per request ÷ page CPU per request × comments), the steadier figure on a busy machine. "
        "'Other CPU' is the share of the machine other "
        "processes (not the server, wrk or PostgreSQL serving the bench database) used during the row's run: "
        "above a few percent, "
        "requests/s and latency understate the site. 'Steal' is the share of the CPUs the hypervisor gave "
        "to other virtual machines while this one wanted them; it stretches latency the same way.",
        "",
        "| page | viewer | page cache | shown | KB | req/s | p50 ms | p99 ms | p99 @2 ms | of floor | score "
        "| server CPU ms/req | CPU score | other CPU | steal | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for results, cache in ((uncached, "off"), (cached, "on")):
        for result in results.values():
            row, row_verdicts = _row(result, results["floor"], cache=cache)
            lines.append(row)
            verdicts += [f"{result['label']} ({'signed in' if result['cookie'] else 'anonymous'}, cache {cache}): {v}"
                         for v in row_verdicts]
    missed = [v for v in verdicts if "MISSED" in v or "INVALID" in v]
    lines += ["", f"Targets met: {len(verdicts) - len(missed)} of {len(verdicts)}."]
    if missed:
        lines += ["Missed:"] + [f"- {v}" for v in missed]
    lines += [
        "",
        "The cached rows are a steady state with every read a hit: nothing writes during the run. A write makes "
        "stale only the pages it changes (talkhealth.pagecache tags); bench/mixed.py measures reads with writes.",
        "",
    ]
    return "\n".join(lines)


RESULTS_HEADER = """# Page benchmark results

Written by `bench/run_pages.py` (see README.md); each run appends a dated section. Numbers are
only comparable within a section: the floor is measured in the same run for that reason.

"""


def run_options(parser, *, max_seconds: int) -> None:
    """The options every load bench shares: where the results go, the run's deadline, and how quiet
    the machine must be before it measures."""
    parser.add_argument("--no-record", action="store_true", help="Print the results without appending them.")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md", help="Where to append the results.")
    parser.add_argument("--max-seconds", type=int, default=max_seconds, help="Deadline for the whole run.")
    parser.add_argument("--quiet-limit", type=float, default=0.1,
                        help="Before measuring, wait for other processes to use less than this share of the CPUs.")
    parser.add_argument("--quiet-wait", type=int, default=600, help="Seconds to wait for that, at most.")


def run_start(max_seconds: int) -> bool:
    """Check wrk is there, and stop the run cleanly at its deadline or on SIGTERM."""
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return False
    signal.signal(signal.SIGALRM, _deadline_reached)
    signal.signal(signal.SIGTERM, _stop_requested)
    signal.alarm(max_seconds)
    return True


def server_options(parser) -> None:
    """The options server_env() reads: the run's database and its PostgreSQL server, and its Redis."""
    parser.add_argument("--database", default="talkhealth_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL.")
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/13", help="Cache and Celery broker for the run (own DB number)."
    )


def server_env(args, scratch: Path, **extra) -> dict:
    """The environment of every process of a run: production settings on 127.0.0.1, a random
    SECRET_KEY, the run's database and Redis, static files in the scratch directory."""
    return {
        **os.environ, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": HOST, "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false", "DATABASE_URL": f"{args.pg}/{args.database}", "REDIS_URL": args.redis,
        "BENCH_STATIC_ROOT": str(scratch / "static"), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT), **extra,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per page.")
    parser.add_argument("--quiet-duration", type=int, default=8, help="Seconds per page at 2 connections.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    server_options(parser)
    parser.add_argument("--reuse-db", action="store_true", help="Keep an existing, seeded bench database.")
    run_options(parser, max_seconds=2400)
    args = parser.parse_args()

    if not run_start(args.max_seconds):
        return 2

    scratch = Path(tempfile.mkdtemp(prefix="talkhealth-bench-"))
    python = str(VENV_BIN / "python")
    env = server_env(args, scratch, BENCH_FLOOR_VIEW="1")
    embedded = {**env, "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base"}
    production = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = floor_server = None
    try:
        needs_seed = database_reset(f"{args.pg}/postgres", args.database, reuse=args.reuse_db)
        planner_settings(f"{args.pg}/postgres", args.database)
        run([python, "manage.py", "migrate", "--noinput", "-v0"], env=embedded, timeout=300)
        seed_seconds = None
        if needs_seed:
            run([python, "-m", "bench.django_steps", "seed", scratch / "seed.json"], env=embedded, timeout=900)
            seed_seconds = json.loads((scratch / "seed.json").read_text())["seconds"]
        run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env=production, timeout=300)
        bytecode(production)
        run([python, "-m", "bench.django_steps", "prepare", scratch / "prepare.json"], env=production, timeout=120)
        settle(args.pg, args.database)
        facts = json.loads((scratch / "prepare.json").read_text())
        cookie = facts["cookie"]
        port, floor_port = free_port(), free_port()
        base, floor_base = f"http://{HOST}:{port}", f"http://{HOST}:{floor_port}"
        log_path = scratch / "gunicorn.log"
        floor_server = Server(env={**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}, port=floor_port,
                              workers=args.workers, log_path=log_path, app="bench.floor.wsgi:application",
                              config=None)
        floor = {"name": "floor", "label": "floor: bare Django, 10 KB (bench/floor)", "path": "/", "cookie": None,
                 "kind": "floor", "base": floor_base, "server": floor_server}
        pages = [
            floor,
            {"name": "app-floor", "label": "Talk Health floor view (no DB, 10 KB)", "path": facts["floor"],
             "cookie": None, "kind": "app-floor"},
            {"name": "flat", "label": "thread, 25 flat comments", "path": facts["flat"], "cookie": None,
             "kind": "flat"},
            {"name": "flat-signed", "label": "thread, 25 flat comments", "path": facts["flat"], "cookie": cookie,
             "kind": "flat"},
            {"name": "thread-first", "label": "thread, first page", "path": facts["thread_first"], "cookie": None,
             "kind": "thread"},
            {"name": "thread-last", "label": "thread, last page", "path": facts["thread_last"], "cookie": None,
             "kind": "thread"},
            {"name": "thread-first-signed", "label": "thread, first page", "path": facts["thread_first"],
             "cookie": cookie, "kind": "thread"},
            {"name": "thread-last-signed", "label": "thread, last page", "path": facts["thread_last"],
             "cookie": cookie, "kind": "thread"},
            {"name": "board", "label": f"board ({facts['board_threads']} threads)", "path": facts["board"],
             "cookie": None, "kind": "listing"},
            {"name": "hub", "label": "programme hub", "path": facts["hub"], "cookie": None, "kind": "listing"},
        ]
        print("Checking the machine is quiet", flush=True)
        facts["other_cpu_at_start"] = wait_for_quiet(args.quiet_limit, args.quiet_wait, args.database)
        floor_server.start()

        print(f"Page cache off, {base}", flush=True)
        server = Server(env={**production, "PAGE_CACHE_SECONDS": "0"}, port=port, workers=args.workers,
                        log_path=log_path)
        server.start()
        uncached = measure(base, pages, args, server)
        server.stop()

        print(f"Page cache on (anonymous pages), {base}", flush=True)
        server = Server(env={**production, "PAGE_CACHE_SECONDS": "300"}, port=port, workers=args.workers,
                        log_path=log_path)
        server.start()
        cached = measure(base, [p for p in pages if not p["cookie"] and p["kind"] != "app-floor"], args, server)
        server.stop()
        floor_server.stop()

        section = report(uncached=uncached, cached=cached, facts=facts, box=machine(), args=args,
                         seed_seconds=seed_seconds)
        print("\n" + section)
        if not args.no_record:
            results = args.results
            existing = results.read_text() if results.exists() else RESULTS_HEADER
            results.write_text(existing.rstrip("\n") + "\n\n" + section)
            print(f"Appended to {results}")
        return 0
    except (BenchError, subprocess.TimeoutExpired) as error:
        print(f"bench failed: {error}", file=sys.stderr)
        log = scratch / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        for running in (server, floor_server):
            if running is not None:
                running.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
