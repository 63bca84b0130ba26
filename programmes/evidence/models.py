"""Evidence packs: a programme's record of what was asked, who took part, what was heard and what
changed in a period, built by a Celery job, reviewed by staff, and optionally published as a
public summary on the programme hub."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class EvidencePack(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being built"
        DRAFT = "draft", "Draft, ready for review"
        PUBLISHED = "published", "Summary published"
        FAILED = "failed", "Failed"

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField(help_text="Includes this day.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done while it is built.")
    step = models.CharField(max_length=80, blank=True)
    html = models.FileField(upload_to="evidence/", blank=True)
    docx = models.FileField(upload_to="evidence/", blank=True)
    tables = models.FileField(upload_to="evidence/", blank=True)
    body_html = models.TextField(blank=True, help_text="The report itself, shown as the public summary once published.")
    quoted_keys = models.JSONField(
        default=list, blank=True, help_text="The contributions it quotes; taking one down rebuilds the pack."
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "status", "-published_at"], name="programmes_pack_published")]

    def __str__(self):
        return f"Evidence pack {self.pk}: {self.programme} {self.start} to {self.end}"

    def get_absolute_url(self):
        return reverse("staff:evidence_pack", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("programmes:evidence_summary", kwargs={"slug": self.programme.slug, "pk": self.pk})

    @property
    def is_built(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PUBLISHED)
