from django.db import models
from django.utils import timezone


class OutboxJob(models.Model):
    """One email or background job, written in the transaction of the write that asked for it.

    The row is the truth; a Celery message only wakes a worker. A job runs once: whoever moves it
    from PENDING to RUNNING runs it. One that fails waits out a backoff and is tried again, up to
    OUTBOX_MAX_ATTEMPTS; the sweep queues again anything never queued, lost, or left running by a
    worker that died (see talkhealth.outbox).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to run"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Given up"

    task = models.CharField(max_length=100, help_text="The Celery task that does the work, by name.")
    args = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"], name="talkhealth_outbox_unfinished",
                condition=models.Q(status__in=["pending", "running"]),
            )
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} ({self.get_status_display().lower()})"
