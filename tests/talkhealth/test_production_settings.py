"""Production settings, loaded the way a server loads them: a fresh process and only its environment."""

import os
import secrets
import string
import subprocess
import sys

import pytest
from django.conf import settings

GOOD_KEY = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60))
MISSING = object()


def manage(*args, tmp_path, **env_changes) -> subprocess.CompletedProcess:
    """Run manage.py with production settings, a valid environment, and `env_changes` applied."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "talkhealth.settings.production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "talkhealth.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }
    for name, value in env_changes.items():
        if value is MISSING:
            del env[name]
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": MISSING}, "SECRET_KEY must be set in the environment"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set in the environment"),
        ({"ALLOWED_HOSTS": MISSING}, "ALLOWED_HOSTS must be set in the environment"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must be set in the environment"),
        ({"SECRET_KEY": "too-short-0123456789"}, "SECRET_KEY must be a random value of at least 50 characters"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be a random value of at least 50 characters"),
        (
            {"SECRET_KEY": "django-insecure-embedded-default-not-for-production"},
            "SECRET_KEY must be a random value of at least 50 characters",
        ),
    ],
    ids=["no-key", "empty-key", "no-hosts", "blank-hosts", "short-key", "repetitive-key", "embedded-default-key"],
)
def test_production_refuses_to_start_half_configured(tmp_path, changes, message):
    result = manage("check", tmp_path=tmp_path, **changes)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_production_settings_pass_the_deployment_checklist_with_no_warnings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_seed_demo_refuses_under_production_settings(tmp_path):
    result = manage("seed_demo", tmp_path=tmp_path)

    assert result.returncode != 0
    assert "seed_demo refuses to run with production settings" in result.stderr
    assert "Demo data is ready" not in result.stdout
