"""The web process's gunicorn hooks (talkhealth/gunicorn_config.py): a worker that has served its
--max-requests leaves at once, with status 0 and its connections closed; one that fails still
exits the usual way, with its own status."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import django.core.cache
import django.db
import pytest
from django.conf import settings

from talkhealth import gunicorn_config

from .conftest import procfile_env

ROOT = Path(settings.BASE_DIR)


class Left(Exception):
    """Raised in place of os._exit, with the status it was given."""


class Log:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(message % args)

    def exception(self, message, *args):
        self.lines.append("ERROR " + message % args)


def _forked(monkeypatch, run):
    """A worker as gunicorn's arbiter hands it to post_fork, with `run` as its serving loop."""

    def exit_now(status):
        raise Left(status)

    monkeypatch.setattr(gunicorn_config.os, "_exit", exit_now)
    exits = []
    server = SimpleNamespace(log=Log(), cfg=SimpleNamespace(worker_exit=lambda server, worker: exits.append(worker)))
    worker = SimpleNamespace(pid=4242, run=run, tmp=SimpleNamespace(close=lambda: exits.append("tmp closed")))
    gunicorn_config.post_fork(server, worker)
    return server, worker, exits


def test_a_worker_that_stops_normally_closes_its_connections_and_leaves_with_status_0(monkeypatch):
    server, worker, exits = _forked(monkeypatch, run=lambda: None)
    monkeypatch.setattr(django.db.connections, "close_all", lambda: exits.append("database closed"))
    monkeypatch.setattr(django.core.cache, "close_caches", lambda: exits.append("caches closed"))
    with pytest.raises(Left) as left:
        worker.run()
    assert left.value.args == (0,)
    # Then what gunicorn's own exit path does: the heartbeat file, the worker_exit hook.
    assert exits == ["database closed", "caches closed", "tmp closed", worker]
    assert server.log.lines == ["Worker exiting (pid: 4242), leaving its clean-up to the kernel"]


def test_a_worker_that_fails_exits_the_usual_way_with_its_own_status(monkeypatch):
    def run():
        sys.exit(3)  # as gunicorn's worker does when it cannot boot

    server, worker, exits = _forked(monkeypatch, run=run)
    with pytest.raises(SystemExit) as exited:
        worker.run()
    assert exited.value.code == 3
    assert exits == [] and server.log.lines == []


def test_a_worker_that_cannot_tidy_up_says_so_and_still_leaves(monkeypatch):
    server, worker, exits = _forked(monkeypatch, run=lambda: None)
    worker.tmp = None  # closing it fails
    with pytest.raises(Left) as left:
        worker.run()
    assert left.value.args == (0,)
    assert server.log.lines[-1] == "ERROR Worker 4242 could not tidy up before leaving"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_replaces_workers_after_max_requests_through_the_hook_and_every_request_is_answered(tmp_path):
    """The Procfile's way of running the site, with a worker replaced every 2 requests: each leaves
    through the hook with status 0 (the master logs any other status as an error) and its
    replacement answers."""
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "REDIS_URL": "", **procfile_env("web"),
    }  # fmt: skip
    command = [
        Path(sys.executable).parent / "gunicorn", "talkhealth.wsgi", "--config", "python:talkhealth.gunicorn_config",
        "--preload", "--workers", "1", "--max-requests", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "info",
    ]  # fmt: skip
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        statuses, deadline = [], time.monotonic() + 60
        while len(statuses) < 7 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    statuses.append(response.status)
            except OSError:
                assert server.poll() is None, log_path.read_text()
                time.sleep(0.2)  # still starting
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = log_path.read_text()
    assert statuses == [200] * 7, text
    assert len(re.findall(r"Worker exiting \(pid: \d+\), leaving its clean-up to the kernel", text)) >= 3, text
    assert len(re.findall(r"Booting worker with pid", text)) >= 4, text
    assert "exited with code" not in text and "Traceback" not in text, text
