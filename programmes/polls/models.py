"""Polls: a question for residents on a programme, optionally inside an update."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class PollKind(models.TextChoices):
    SINGLE = "single", "Choose one answer"
    MULTIPLE = "multiple", "Choose any number of answers"


class Poll(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="polls")
    update = models.ForeignKey(
        "programmes.Update",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        help_text="Show the poll inside this update as well as on the programme's page.",
    )
    question = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=1000)
    kind = models.CharField(max_length=10, choices=PollKind.choices, default=PollKind.SINGLE)
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["programme", "-opens_at"], name="programmes_poll_programme")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="programmes_poll_closes_after"
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("programmes:poll", kwargs={"slug": self.programme.slug, "pk": self.pk})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class PollBallot(models.Model):
    """One person's vote in a poll. The unique constraint is the "one vote each" rule: two requests
    racing to vote cannot both commit. The borough is kept as it was when they voted."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_ballots")
    borough = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="programmes_poll_one_ballot")]

    def __str__(self):
        return f"{self.user_id} in poll {self.poll_id}"


class PollVote(models.Model):
    """A choice marked on a ballot: one for a single-choice poll, one or more for multiple choice."""

    ballot = models.ForeignKey(PollBallot, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(PollChoice, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "choice"], name="programmes_poll_choice_once")]
