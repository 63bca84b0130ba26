"""`python -m talkhealth.worker` (talkhealth/worker.py), the Procfile's worker and analysis command:
Celery's own `worker` command and its options, without the rest of Celery's command line. The
real-worker tests (test_worker.py, test_outbox_worker.py) start every worker they use with it."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run(*args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def long_options(help_text: str) -> set[str]:
    return {word.rstrip(",") for line in help_text.splitlines() for word in line.split() if word.startswith("--")}


def test_it_takes_every_option_of_celery_worker():
    launched, celery = run("-m", "talkhealth.worker", "--help"), run("-m", "celery", "worker", "--help")

    assert launched.returncode == 0, launched.stderr
    assert launched.stdout.startswith("Usage: python -m talkhealth.worker [OPTIONS]")
    used = {"--concurrency", "--queues", "--max-tasks-per-child", "--prefetch-multiplier"}  # by the Procfile, tests
    assert used <= long_options(celery.stdout)
    assert long_options(launched.stdout) == long_options(celery.stdout)


def test_an_unknown_option_fails_at_once_and_names_it():
    result = run("-m", "talkhealth.worker", "--concurency", "2")

    assert result.returncode == 2
    assert "Error: No such option '--concurency'. Did you mean '--concurrency'?" in result.stderr


def test_it_leaves_out_the_interactive_shells_celery_would_load():
    code = (
        "import sys, talkhealth.worker, talkhealth.celery\n"
        "print(sorted(m for m in ('prompt_toolkit', 'click_repl', 'celery.bin.amqp', 'celery.bin.shell')"
        " if m in sys.modules))"
    )
    loaded = run("-c", code)

    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"
    assert "prompt_toolkit" in run("-c", "import sys, celery.bin.celery; print(sorted(sys.modules))").stdout
