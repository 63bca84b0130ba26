"""Exports of a programme's discussions for analysis, written by a Celery job and kept 7 days."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class DiscussionExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted after 7 days"

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for every programme.",
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Export {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("staff:export", kwargs={"pk": self.pk})

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.rows_done * 100 / self.total_rows) if self.total_rows else 0

    @property
    def expires_at(self):
        """When the file is deleted: what people wrote, even under pseudonyms, is not kept in
        spreadsheets longer than the analysis needs, and posts erased since are not kept at all."""
        return self.finished_at + KEEP_FOR if self.finished_at else None


KEEP_FOR = timedelta(days=7)
