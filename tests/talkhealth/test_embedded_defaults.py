"""What a fresh clone gets with nothing configured: links that follow the demo's port, var/ made."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from talkhealth.settings.base import _runserver_url


@pytest.mark.parametrize(
    "argv, url",
    [
        (["manage.py", "runserver"], "http://127.0.0.1:8000"),
        (["manage.py", "runserver", "8001"], "http://127.0.0.1:8001"),
        (["manage.py", "runserver", "0.0.0.0:9000"], "http://127.0.0.1:9000"),
        (["manage.py", "runserver", "localhost:8123", "--noreload"], "http://localhost:8123"),
        (["manage.py", "migrate"], "http://127.0.0.1:8000"),
    ],
)
def test_site_url_follows_the_address_runserver_was_given(argv, url):
    assert _runserver_url(argv) == url


def test_migrate_on_a_fresh_clone_creates_the_var_folder_for_sqlite(tmp_path):
    database = tmp_path / "var" / "talkhealth.sqlite3"
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base",
        "DATABASE_URL": f"sqlite:///{database}",
    }

    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300,
    )

    assert done.returncode == 0, done.stderr
    assert database.exists()
