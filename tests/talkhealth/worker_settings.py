"""Settings for the worker process of the outbox tests: the base settings a real worker uses, with a
sweep and backoff short enough to watch, files under the test's own directory and its own queue."""

import os
from pathlib import Path

from talkhealth.settings.base import *  # noqa: F403

OUTBOX_SWEEP_AFTER_SECONDS = 1
OUTBOX_RETRY_SECONDS = 0.5
OUTBOX_RETRY_MAX_SECONDS = 2.0
MEDIA_ROOT = Path(os.environ["TEST_MEDIA_ROOT"])
# Work a worker queues itself (a job's email, retries, the sweep's re-queues) stays on the test's queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_QUEUE"]
