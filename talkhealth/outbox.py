"""The one road from a write to Celery: every email and background job is a row first.

`job_enqueue` writes an OutboxJob in the caller's transaction and queues it once that commits,
ids only. A worker claims the row, runs the named task's body and marks it done, so a job runs once;
one that fails is tried again with backoff. A broker that is down never fails the request: the row
waits and the sweep (beat, every minute) queues it again, as it does for a message or a worker lost
on the way. `publish` is the only place anything is handed to Celery.

With Celery eager (the embedded default and the tests) the job runs in-process as soon as the
transaction commits, and its errors are bugs, so they propagate.
"""

import fnmatch
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .celery import app as celery_app
from .models import OutboxJob

log = logging.getLogger(__name__)

PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
RUN_TASK = "talkhealth.outbox_run"
SWEEP_LIMIT = 1000
Status = OutboxJob.Status


def eager() -> bool:
    return bool(celery_app.conf.task_always_eager)


def tasks_load() -> None:
    """Import every app's tasks module (Celery's autodiscovery), so their tasks are registered.
    Not through `loader.import_default_modules()`: that also fires Celery's import_modules signal,
    on which its Django fix-up runs every system check, which is a worker's start-up work and cost
    a web worker's first write 50 ms and 0.8 MB."""
    celery_app.autodiscover_tasks(force=True)


def task_named(name: str):
    """A registered Celery task by name. The tasks modules are loaded the first time one is asked
    for (a web process loads them before it forks: talkhealth/wsgi.py), so no module here imports
    an app's tasks."""
    if name not in celery_app.tasks:
        tasks_load()
    return celery_app.tasks[name]


def routing(job_task: str) -> dict:
    """Where and how long a job may run: the queue CELERY_TASK_ROUTES gives its task (analysis jobs
    run on their own workers) and the task's own time limits, applied to the run that carries it."""
    options = {}
    for pattern, route in (settings.CELERY_TASK_ROUTES or {}).items():
        if fnmatch.fnmatchcase(job_task, pattern) and route.get("queue"):
            options["queue"] = route["queue"]
            break
    task = task_named(job_task)
    for limit in ("soft_time_limit", "time_limit"):
        if getattr(task, limit, None):
            options[limit] = getattr(task, limit)
    return options


def publish(task_name: str, *args, countdown: float | None = None, **options) -> bool:
    """Hand `task_name(*args)` to Celery now. False, and logged, when the broker cannot take it."""
    task = task_named(task_name)
    if eager():
        task.apply_async(args=args)
        return True
    try:
        task.apply_async(args=args, countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY, **options)
    except Exception as exc:  # noqa: BLE001 (any failure to publish leaves the work to the sweep)
        log.error("Could not queue %s%r, left for the sweep: %s", task_name, args, exc)
        return False
    return True


def job_enqueue(task: str, *args) -> OutboxJob:
    """Ask for `task(*args)` to run once this transaction commits. `task` is a Celery task's name;
    its arguments must be JSON (ids, not objects)."""
    job = OutboxJob.objects.create(task=task, args=list(args))
    transaction.on_commit(lambda: job_queue(job.pk, task=task))
    return job


def job_queue(job_id: int, *, task: str, countdown: float | None = None) -> None:
    queued_at = timezone.now()
    if publish(RUN_TASK, job_id, countdown=countdown, **routing(task)) and not eager():
        OutboxJob.objects.filter(pk=job_id, status=Status.PENDING).update(queued_at=queued_at)


def backoff(attempts: int) -> float:
    """Seconds before try number `attempts + 1`: the base, doubled each time, capped."""
    return min(settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)


def job_run(*, job_id: int) -> OutboxJob | None:
    """Run a pending job that is due, once. None when there is nothing to run (done, given up,
    not yet due, or another worker has it)."""
    now = timezone.now()
    claimed = OutboxJob.objects.filter(pk=job_id, status=Status.PENDING, due_at__lte=now + timedelta(seconds=1))
    if not claimed.update(status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1):
        return None
    job = OutboxJob.objects.get(pk=job_id)
    try:
        task_named(job.task).run(*job.args)
    except Exception as exc:
        _failed(job, exc)
        if eager():
            raise
        return job
    # A finished job keeps its task and times, not its arguments: an email's are the message itself.
    OutboxJob.objects.filter(pk=job.pk).update(status=Status.DONE, finished_at=timezone.now(), args=[], error="")
    return job


def _failed(job: OutboxJob, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:500]
    now = timezone.now()
    running = OutboxJob.objects.filter(pk=job.pk, status=Status.RUNNING)
    if job.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        running.update(status=Status.FAILED, finished_at=now, error=error)
        log.error("Gave up job %s %s after %s attempt(s): %s", job.pk, job.task, job.attempts, error)
        return
    wait = backoff(job.attempts)
    running.update(status=Status.PENDING, due_at=now + timedelta(seconds=wait), queued_at=now, error=error)
    log.warning("Job %s %s failed (attempt %s), retrying in %.0f s: %s", job.pk, job.task, job.attempts, wait, error)
    if not eager():
        job_queue(job.pk, task=job.task, countdown=wait)


def jobs_sweep(*, now=None) -> int:
    """Queue again what is due but not moving: never queued (the broker was down) after
    OUTBOX_SWEEP_AFTER_SECONDS, queued or running with no end after OUTBOX_LEASE_SECONDS (a lost
    message, a killed worker). Finished jobs are deleted after OUTBOX_KEEP_DAYS."""
    now = now or timezone.now()
    lease = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    abandoned = list(
        OutboxJob.objects.filter(status=Status.RUNNING, started_at__lte=lease).values_list("pk", flat=True)[
            :SWEEP_LIMIT
        ]
    )
    OutboxJob.objects.filter(pk__in=abandoned, status=Status.RUNNING).update(status=Status.PENDING, due_at=now)
    stale = Q(queued_at__isnull=True, due_at__lte=now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS))
    lost = Q(queued_at__lte=lease, due_at__lte=now)
    ids = abandoned + list(
        OutboxJob.objects.filter(stale | lost, status=Status.PENDING)
        .exclude(pk__in=abandoned)
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    if ids:
        log.info("Sweep: queueing %s outbox job(s) again.", len(ids))
    tasks = dict(OutboxJob.objects.filter(pk__in=ids).values_list("pk", "task"))
    for pk in ids:
        job_queue(pk, task=tasks[pk])
    OutboxJob.objects.filter(
        status__in=[Status.DONE, Status.FAILED], finished_at__lte=now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    ).delete()
    return len(ids)
