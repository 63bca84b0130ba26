"""Programme updates: news from partnership staff that residents discuss."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class UpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=UpdateStatus.PUBLISHED)

    def for_listing(self):
        return self.select_related("programme", "thread").only(
            "id",
            "title",
            "summary",
            "published_at",
            "status",
            "publish_at",
            "updated_at",
            "created_at",
            "programme__slug",
            "programme__short_name",
            "thread__id",
            "thread__reply_count",
        )


class Update(models.Model):
    """An update from a programme team. Publishing it opens a discussion (a forums thread in the
    programme's "updates" board), so residents reply with the same comments, likes and moderation."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists and emails.")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated topics.")
    status = models.CharField(max_length=12, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled update goes live.")
    published_at = models.DateTimeField(null=True, blank=True, help_text="When it was first published.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.OneToOneField(
        "forums.Thread", on_delete=models.SET_NULL, null=True, blank=True, related_name="programme_update"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title (weight A), summary and body (weight B). On PostgreSQL a trigger keeps it, so bulk loads fill it too.",
    )

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="programmes_update_published"),
            models.Index(fields=["programme", "status", "-published_at"], name="programmes_update_programme"),
            models.Index(fields=["publish_at"], name="programmes_update_due", condition=Q(status="scheduled")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False), name="programmes_update_scheduled_at"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:update", kwargs={"slug": self.programme.slug, "pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == UpdateStatus.PUBLISHED

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]
