"""Celery tasks for discussions: load by id, call a service, nothing else."""

from celery import shared_task


@shared_task(name="forums.safety_alerts_send", acks_late=True)
def safety_alerts_send() -> int:
    from .moderation import safeguarding

    return safeguarding.alerts_send()


@shared_task(name="forums.safeguarding_escalate", acks_late=True)
def safeguarding_escalate() -> int:
    from .moderation import safeguarding

    return safeguarding.items_escalate()
