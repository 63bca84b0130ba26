from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Programme(models.Model):
    """One of the Healthy London Partnership's 13 transformation programmes. Slugs are stable URLs."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, help_text="Used in navigation and page titles.")
    summary = models.TextField(help_text="A few sentences in plain English on what the programme is for.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("programmes:hub", kwargs={"slug": self.slug})


class ProgrammeFollow(models.Model):
    """Someone who wants to hear about a programme's updates."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_follows")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="programmes_follow_once")]
        indexes = [models.Index(fields=["user", "programme"], name="programmes_follow_user")]

    def __str__(self):
        return f"{self.user_id} follows {self.programme_id}"


from .events.models import Event, EventAttendance  # noqa: E402,F401  (registered as programmes models)
from .polls.models import Poll, PollBallot, PollChoice, PollKind, PollVote  # noqa: E402,F401
from .evidence.models import EvidencePack  # noqa: E402,F401
from .reports.models import DiscussionExport  # noqa: E402,F401
from .updates.models import Update, UpdateStatus  # noqa: E402,F401
from .themes.models import Coding, DiscoveryRun, ProposedTheme, Quote, Theme, ThemeChange, ThemeDecision  # noqa: E402,F401
from .contributions.models import (  # noqa: E402,F401
    ContributionAudit,
    ContributionImport,
    EngagementSession,
    OfflineContribution,
)
