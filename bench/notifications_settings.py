"""Settings for the notification fan-out bench: the base settings a worker runs with, DEBUG off,
email handed to a counting backend, and the bench's own Celery queue (so nothing else consumes it)."""

from talkhealth.settings.base import *  # noqa: F403
from talkhealth.settings.base import env

DEBUG = False
EMAIL_BACKEND = "bench.counting_email.CountingBackend"
CELERY_TASK_DEFAULT_QUEUE = env("BENCH_QUEUE", default="bench-notifications")
CELERY_TASK_ALWAYS_EAGER = env.bool("BENCH_EAGER", default=False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
