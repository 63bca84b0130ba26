"""Where a web worker's memory goes: the WSGI application in this process, fed requests directly.

    .venv/bin/python bench/memory.py [--requests 3000] [--top 25]

Loads talkhealth.wsgi as gunicorn does (the Procfile's web variables, such as PYTHONOPTIMIZE, with
its compiled bytecode; production settings, the page bench's database `talkhealth_bench` and Redis
on its own DB number), then reads the bench's URLs round and round, as anonymous readers and as a
signed-in resident, with the page cache off so every request renders.
Prints the resident memory after start-up, after the first request of each kind and after all of
them; the modules first imported while serving; and, from tracemalloc (started after start-up), the
source lines holding the most memory allocated while serving and still alive. No server, no sockets
beyond PostgreSQL and Redis, no test client (which would load modules a worker never does).
"""

import argparse
import collections
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_pages import bytecode, procfile  # noqa: E402


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def request(application, path: str, cookie: str = "") -> int:
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": parts.path, "QUERY_STRING": parts.query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0), "REMOTE_ADDR": "127.0.0.1",
    }  # fmt: skip
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    status = []
    body = application(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return int(status[0].split()[0])


def _owner(traceback) -> str:
    """The package of the outermost frame in site-packages or the project: who caused the allocation."""
    for frame in reversed(traceback):  # tracemalloc lists the most recent call first
        name = frame.filename
        if "site-packages/" in name:
            return name.split("site-packages/")[1].split("/")[0]
        if name.startswith(str(ROOT)) and "/bench/" not in name:
            return "project: " + name[len(str(ROOT)) + 1 :].split("/")[0]
    return "other: " + traceback[0].filename


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--traffic", type=Path, help="A mixed.json written by bench.django_steps mixed (else made here).")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/talkhealth_bench")
    args = parser.parse_args()
    web = procfile("web")[0]
    if sys.flags.optimize != int(web.get("PYTHONOPTIMIZE", 0)):  # measure the interpreter production runs
        bytecode(dict(os.environ))
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **web})

    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": args.pg,
        "REDIS_URL": "redis://127.0.0.1:6379/13", "PAGE_CACHE_SECONDS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "BENCH_STATIC_ROOT": tempfile.mkdtemp(prefix="talkhealth-memory-"),
    })  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    started = rss_mb()
    from talkhealth.wsgi import application

    loaded = rss_mb()
    modules_at_start = set(sys.modules)

    if args.traffic:
        traffic = json.loads(args.traffic.read_text())
    else:  # in its own process: the traffic step loads the test client, which a worker never does
        out = Path("/tmp/bench-memory-traffic.json")
        subprocess.run([sys.executable, "-m", "bench.django_steps", "mixed", str(out)], cwd=ROOT, check=True,
                       env={**os.environ})
        traffic = json.loads(out.read_text())
    reads, sessions = traffic["reads"], traffic["sessions"]
    print(f"Interpreter before Django: {started:.0f} MB; after loading talkhealth.wsgi: {loaded:.0f} MB")

    tracemalloc.start(40)
    first = tracemalloc.take_snapshot()
    kinds = {"hub": reads[0], "board": next(u for u in reads if "?page=2" not in u and u.count("/") > 3),
             "thread": reads[-1]}
    for name, path in kinds.items():
        status = request(application, path)
        print(f"  first {name} page {path} ({status}): {rss_mb():.0f} MB")
    status = request(application, reads[-1], sessions[0]["cookie"])
    print(f"  first signed-in thread page ({status}): {rss_mb():.0f} MB")
    statuses = {}
    for n in range(args.requests):
        cookie = sessions[n % len(sessions)]["cookie"] if n % 10 == 9 else ""
        code = request(application, reads[n % len(reads)], cookie)
        statuses[code] = statuses.get(code, 0) + 1
        if n in (args.requests // 4, args.requests // 2):
            print(f"  after {n} requests: {rss_mb():.0f} MB")
    print(f"After {args.requests} more requests ({statuses}): {rss_mb():.0f} MB")
    last = tracemalloc.take_snapshot()
    new_modules = sorted(set(sys.modules) - modules_at_start)
    tops = sorted({name.split(".")[0] for name in new_modules})
    print(f"Modules first imported while serving: {len(new_modules)}, from {', '.join(tops)}")
    held = collections.Counter()
    for stat in last.compare_to(first, "traceback"):
        held[_owner(stat.traceback)] += stat.size_diff
    print(f"tracemalloc: {sum(held.values()) / 1e6:.1f} MB allocated while serving and still held, by the "
          "package whose code (outermost frame) asked for it:")
    for owner, size in held.most_common(args.top):
        print(f"  {size / 1e6:7.2f} MB  {owner}")
    shutil.rmtree(os.environ["BENCH_STATIC_ROOT"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
