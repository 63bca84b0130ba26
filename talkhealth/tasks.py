"""The outbox's own tasks: run one job, and the sweep (beat, every minute)."""

from celery import shared_task


@shared_task(name="talkhealth.outbox_run", acks_late=True)
def outbox_run(job_id: int) -> None:
    from . import outbox

    outbox.job_run(job_id=job_id)


@shared_task(name="talkhealth.outbox_sweep", acks_late=True)
def outbox_sweep() -> None:
    from . import outbox

    outbox.jobs_sweep()
