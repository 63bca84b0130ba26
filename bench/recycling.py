"""What replacing gunicorn workers costs anonymous readers, with and without the Procfile's exit hook;
appends the result to RESULTS.md.

    .venv/bin/python bench/recycling.py [--every 5000] [--duration 20] [--rounds 2] [--no-record]

Uses the page bench's database (run bench/run_pages.py or bench/mixed.py first) and the mixed
bench's anonymous reads (every hub, every board's first two pages, 400 threads; page cache on).
Starts gunicorn four ways (2 sync workers, --preload, production settings): with the hooks in
talkhealth/gunicorn_config.py (as the Procfile does) or without them, each with workers never
replaced or replaced every `--every` requests (no jitter), and measures each with wrk for
`--duration` seconds at 16 connections after reading every URL once. The four run in turn,
`--rounds` times, so a change in the machine's load touches all of them alike. Without the hook a
replaced worker leaves through the interpreter's clean-up, which frees every object it inherited
from the master and so first copies every page it still shares.
"""

import argparse
import json
import statistics
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mixed import lua_script, warm, wrk_mixed  # noqa: E402
from bench.run_pages import (  # noqa: E402
    HOST, VENV_BIN, BenchError, Server, bytecode, free_port, machine, run, run_options, run_start, server_env,
    server_options, wait_for_quiet,
)

CONFIG = "python:talkhealth.gunicorn_config"


def measure(args, env, facts, script: Path, scratch: Path, *, hook: bool, every: int) -> dict:
    recycle = ["--max-requests", str(every), "--max-requests-jitter", "0"] if every else []
    server = Server(env=env, port=free_port(), workers=args.workers, log_path=scratch / "gunicorn.log",
                    options=recycle, config=CONFIG if hook else None)
    server.start()
    try:
        base = f"http://{HOST}:{server.port}"
        warm(base, facts["reads"])
        result = wrk_mixed(base, script, connections=args.connections, duration=args.duration, threads=2)
    finally:
        server.stop()
    bad = result["errors"] + sum(n for status, n in result["statuses"].items() if status >= 400)
    if bad:
        raise BenchError(f"{bad} errors or error responses (hook {hook}, every {every})")
    print(json.dumps({"hook": hook, "every": every, "rps": result["rps"], "p99": result["p99"]}), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=5000, help="Replace each worker after this many requests.")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    server_options(parser)
    run_options(parser, max_seconds=1800)
    args = parser.parse_args()
    if not run_start(args.max_seconds):
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="talkhealth-recycling-"))
    env = {**server_env(args, scratch, EMAIL_URL="dummymail://", PAGE_CACHE_SECONDS="300"),
           "DJANGO_SETTINGS_MODULE": "bench.settings"}
    python = str(VENV_BIN / "python")
    try:
        run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=300)
        bytecode(env)
        run([python, "-m", "bench.django_steps", "mixed", scratch / "mixed.json"], env=env, timeout=300)
        facts = json.loads((scratch / "mixed.json").read_text())
        script = scratch / "reads.lua"
        script.write_text(lua_script(facts, anonymous=1.0, signed=0.0))
        print("Checking the machine is quiet", flush=True)
        quiet = wait_for_quiet(args.quiet_limit, args.quiet_wait, args.database)
        ways = [(hook, every) for hook in (True, False) for every in (0, args.every)]
        found: dict[tuple[bool, int], list[dict]] = {way: [] for way in ways}
        for _ in range(args.rounds):
            for hook, every in ways:
                found[hook, every].append(measure(args, env, facts, script, scratch, hook=hook, every=every))
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1

    box = machine()
    rps = {way: statistics.mean(r["rps"] for r in runs) for way, runs in found.items()}
    lines = [
        f"## Worker replacement, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {box['nproc']} CPUs ({box['cpu']}), {box['memory']} RAM; Python {box['python']}; "
        f"{box['gunicorn']}; {box['wrk']}.",
        f"- Code: commit {box['commit']}" + (f" plus uncommitted changes to {box['dirty']} tracked files."
                                            if box["dirty"] else "."),
        f"- Machine load: other processes used {quiet:.0%} of the CPUs just before the runs.",
        f"- Server: gunicorn --preload, {args.workers} sync workers, bench.settings, page cache on; with the "
        "hooks in talkhealth/gunicorn_config.py (as the Procfile starts it) or without, workers never "
        f"replaced or replaced every {args.every:,} requests (no jitter).",
        f"- Load: wrk, 2 threads, {args.connections} connections, {args.duration} s a run after one read of "
        f"each of the {len(facts['reads'])} URLs, anonymous reads of every hub, every board's first two pages "
        f"and a sample of threads; the four ways in turn, {args.rounds} rounds.",
        "",
        "| exit hook | workers replaced | requests/s, each round | mean | p99 ms, each round | lost to replacement |",
        "|---|---|---|---|---|---|",
    ]
    for hook, every in ways:
        runs = found[hook, every]
        lost = 1 - rps[hook, every] / rps[hook, 0]
        lines.append(
            f"| {'yes' if hook else 'no'} | {f'every {every:,} requests' if every else 'never'} | "
            + ", ".join(f"{r['rps']:.0f}" for r in runs) + f" | {rps[hook, every]:.0f} | "
            + ", ".join(f"{r['p99']:.1f}" for r in runs) + " | " + (f"{lost:.0%}" if every else "–") + " |"
        )
    section = "\n".join(lines)
    print("\n" + section)
    if not args.no_record:
        args.results.write_text(args.results.read_text().rstrip("\n") + "\n\n" + section + "\n")
        print(f"Appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
