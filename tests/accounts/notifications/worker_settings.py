"""Settings for the worker processes of the notification tests: the base settings a real worker
uses, with an email backend chosen by the test and backoff, sweep and lease short enough to watch."""

import os

from talkhealth.settings.base import *  # noqa: F403

EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
NOTIFICATIONS_EMAIL_RETRY_SECONDS = 0.5
NOTIFICATIONS_EMAIL_RETRY_MAX_SECONDS = 2.0
NOTIFICATIONS_SWEEP_AFTER_SECONDS = int(os.environ.get("TEST_SWEEP_AFTER", "60"))
NOTIFICATIONS_QUEUE_LEASE_SECONDS = int(os.environ.get("TEST_QUEUE_LEASE", "600"))
NOTIFICATIONS_EMAIL_BATCH = int(os.environ.get("TEST_EMAIL_BATCH", "200"))
# Work a worker queues itself (retries, the sweep's re-queues) stays on the test's own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_QUEUE"]
