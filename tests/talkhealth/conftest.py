"""A real `celery worker` process for the worker tests: same Redis, the test database, its own queue."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from bench.run_pages import procfile as procfile_line
from talkhealth.celery import app as celery_app

READY_TIMEOUT = 60
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def procfile(name: str = "Procfile") -> dict[str, str]:
    """Each process of the Procfile `name` and its command line."""
    lines = (Path(settings.BASE_DIR) / name).read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def procfile_env(process: str) -> dict[str, str]:
    """The variables the Procfile's `process` line sets before its command (PYTHONOPTIMIZE=2), so a
    test starts that process as production does. Bytecode may be written: the first start compiles
    the optimised bytecode, and later ones read it."""
    return {"PYTHONDONTWRITEBYTECODE": "", **procfile_line(process)[0]}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def database_url_for_workers() -> str:
    """DATABASE_URL for the database pytest-django created, so another process sees the same rows."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def worker_services():
    """Skip unless Redis and PostgreSQL are configured; in CI their absence fails instead of skipping.

    A worker is a separate process, so it cannot see SQLite's in-memory test database.
    """
    missing = []
    if not settings.REDIS_URL:
        missing.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        missing.append(f"the test database is {connection.vendor}, not PostgreSQL (set DATABASE_URL)")
    if missing:
        reason = "a real Celery worker needs Redis and PostgreSQL: " + "; ".join(missing)
        if in_ci():
            pytest.fail(f"{reason}. CI must run the worker tests.", pytrace=False)
        pytest.skip(reason)


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    mail_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _wait(self, what: str, timeout: float, found):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = found()
            if result:
                return result
            if self.process.poll() is not None:
                pytest.fail(
                    f"worker exited with {self.process.returncode} while waiting for {what}:\n{self.log()}",
                    pytrace=False,
                )
            time.sleep(0.2)
        pytest.fail(f"no {what} within {timeout} s; worker log:\n{self.log()}", pytrace=False)

    def wait_until_ready(self, timeout: float = READY_TIMEOUT) -> None:
        ready = re.compile(rf"{re.escape(self.queue)}@\S+ ready\.")
        self._wait("'ready' from the worker", timeout, lambda: ready.search(self.log()))

    def emails(self) -> list[EmailMessage]:
        """Every email the worker has finished writing so far."""
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            data = path.read_bytes()
            if data.endswith(MESSAGE_SEPARATOR):
                messages += [
                    BytesParser(policy=policy.default).parsebytes(raw.lstrip(b"\n"))
                    for raw in data.split(MESSAGE_SEPARATOR)
                    if raw.strip()
                ]
        return messages

    def wait_for_emails(self, count: int = 1, timeout: float = 60) -> list[EmailMessage]:
        """Every email the worker has finished writing, once there are at least `count`."""

        def written():
            messages = self.emails()
            return messages if len(messages) >= count else None

        return self._wait(f"{count} email(s) in {self.mail_dir}", timeout, written)

    def stop(self) -> None:
        """Warm shutdown, then a kill of its whole session (a prefork pool's children too)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


def forget_queue(name: str) -> None:
    """Remove every Redis key kombu made for the run's queue (its list and its bindings)."""
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
        keys = list(client.scan_iter(match=f"*{name}*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError as exc:
        print(f"could not tidy Redis keys for {name}: {exc!r}")


def worker_spawn(
    *, queue: str, name: str, mail_dir: Path, log_path: Path, env: dict | None = None, pool: str = "solo"
) -> Worker:
    """Start `python -m talkhealth.worker` (solo pool, or `pool`) on `queue` as `name@host`, on the
    test database and Redis, writing emails as files under `mail_dir`; `env` adds to or overrides its
    environment. It runs in its own session, so a test can kill it (and only it) outright."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base",
        "DATABASE_URL": database_url_for_workers(),
        "REDIS_URL": settings.REDIS_URL,
        # django-environ drops the first "/" of the path, so an absolute path needs four.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "PYTHONUNBUFFERED": "1",
        **procfile_env("worker"),
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "talkhealth.worker",
        "--pool", pool, "--concurrency", "1", "--queues", queue, "--hostname", f"{name}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Worker(process=process, queue=name, mail_dir=mail_dir, log_path=log_path)


@contextmanager
def worker_running(tmp_path: Path, env: dict | None = None, pool: str = "solo"):
    """A `python -m talkhealth.worker` subprocess, and this process publishing to it through Redis.

    The worker consumes a queue named for this run only (also given to it as TEST_QUEUE), so stale
    or concurrent messages cannot reach it, and writes emails as files under tmp_path/mail. Celery in
    this process stops being eager for the duration. The worker's output is printed at the end
    (pytest shows it on failure)."""
    queue = f"talkhealth-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {"TEST_QUEUE": queue, **(env or {})}
    worker = worker_spawn(
        queue=queue, name=queue, mail_dir=mail_dir, log_path=tmp_path / "worker.log", env=env, pool=pool
    )
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue
    try:
        worker.wait_until_ready()
        conf.task_always_eager, conf.task_default_queue = False, queue
        yield worker
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        worker.stop()
        forget_queue(queue)
        print(f"----- celery worker output ({' '.join(worker.process.args)}) -----\n{worker.log()}")


@pytest.fixture
def celery_worker(worker_services, transactional_db, tmp_path):
    """A worker on the base settings (see worker_running)."""
    with worker_running(tmp_path) as worker:
        yield worker


def _reset_broker_pools():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def redis_down():
    """This process publishes to a closed port, as if Redis were stopped; the workers are untouched."""
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    _reset_broker_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved
        _reset_broker_pools()


def wait_for(what: str, check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}", pytrace=False)
