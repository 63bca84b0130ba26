"""Offline voices: engagement sessions the partnership ran and what each person said at them,
recorded with provenance (who wrote it down, when, from what) and consent."""

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import equality
from accounts.boroughs import Borough


class SessionKind(models.TextChoices):
    ROADSHOW = "roadshow", "Roadshow"
    DROP_IN = "drop_in", "Drop-in"
    WORKSHOP = "workshop", "Workshop"
    FOCUS_GROUP = "focus_group", "Focus group"
    HEARING = "hearing", "Evidence hearing"
    PHONE_LINE = "phone_line", "Phone line"
    POSTCARDS = "postcards", "Postcard campaign"
    PAPER_SURVEY = "paper_survey", "Paper survey"


class Channel(models.TextChoices):
    SPOKEN = "spoken", "Spoken at a table"
    POSTCARD = "postcard", "Postcard"
    PAPER_FORM = "paper_form", "Paper form"
    PHONE = "phone", "Phone call"
    INTERVIEW = "interview", "Interview"
    LETTER = "letter", "Letter or email"
    EASY_READ = "easy_read", "Easy-read form"


class Consent(models.TextChoices):
    """What the person agreed to. Only PUBLISH may be quoted or shown; WITHDRAWN keeps no words."""

    PUBLISH = "publish", "Publish anonymously"
    ANALYSIS = "analysis", "Analysis only"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EngagementSession(models.Model):
    """Something the partnership ran in person, on paper or by phone, where people had their say."""

    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    title = models.CharField(max_length=150, help_text='For example "Brent roadshow".')
    programmes = models.ManyToManyField("programmes.Programme", related_name="engagement_sessions")
    date = models.DateField()
    borough = models.CharField(max_length=32, choices=Borough.choices, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    facilitators = models.CharField(max_length=300, blank=True)
    attendance = models.PositiveIntegerField(null=True, blank=True, help_text="How many people came.")
    interpreter_languages = models.CharField(
        max_length=200, blank=True, help_text="Languages an interpreter worked in, if any."
    )
    bsl = models.BooleanField("British Sign Language", default=False)
    easy_read = models.BooleanField("Easy-read materials", default=False)
    hearing_loop = models.BooleanField("Hearing loop", default=False)
    notes = models.TextField(blank=True, max_length=5000)
    event = models.OneToOneField(
        "programmes.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_session",
        help_text="The listed event this session is the closing record of.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("staff:session", kwargs={"pk": self.pk})

    @property
    def said_at(self) -> datetime:
        """When something said at the session happened: its date at noon, London time."""
        return timezone.make_aware(datetime.combine(self.date, time(12)))

    @property
    def support(self) -> list[str]:
        offered = [f"Interpreter ({self.interpreter_languages})"] if self.interpreter_languages else []
        for name in ("bsl", "easy_read", "hearing_loop"):
            if getattr(self, name):
                offered.append(self._meta.get_field(name).verbose_name)
        return offered


class OfflineContributionQuerySet(models.QuerySet):
    def analysable(self):
        return self.exclude(consent=Consent.WITHDRAWN)


class OfflineContribution(models.Model):
    """What one person said or wrote at a session, as recorded by the partnership."""

    session = models.ForeignKey(EngagementSession, on_delete=models.PROTECT, related_name="contributions")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    text = models.TextField(max_length=10000, help_text="What the person said or wrote, as recorded.")
    language = models.CharField(max_length=60, default="English", help_text="The language it was said in.")
    is_translation = models.BooleanField(default=False, help_text="The text is a translation into English.")
    transcribed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    transcribed_at = models.DateTimeField(default=timezone.now)
    borough = models.CharField(max_length=32, choices=Borough.choices, blank=True)
    # The equality answers of accounts.equality, with the same codes as a person's own answers.
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0: prefer not to say.")
    sex = models.CharField(max_length=40, choices=equality.Sex.choices, blank=True)
    ethnic_group = models.CharField(max_length=40, choices=equality.EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=40, choices=equality.Disability.choices, blank=True)
    carer = models.CharField(max_length=40, choices=equality.Carer.choices, blank=True)
    consent = models.CharField(max_length=10, choices=Consent.choices)
    original = models.FileField(
        upload_to="offline-originals/", blank=True, help_text="A photo of the original, seen by staff only."
    )
    row_key = models.CharField(
        max_length=80, blank=True, help_text="The import row this came from, so a re-upload never duplicates it."
    )
    comment = models.OneToOneField(
        "forums.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offline_contribution",
        help_text="Where it was placed in a discussion.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OfflineContributionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["programme", "consent"], name="programmes_offline_programme")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "row_key"], condition=~Q(row_key=""), name="programmes_offline_row_once"
            ),
        ]

    def __str__(self):
        return f"Offline contribution {self.pk}"

    def get_absolute_url(self):
        return reverse("staff:contribution", kwargs={"pk": self.pk})


class ContributionImport(models.Model):
    """One uploaded file of contributions. The file's hash stops the same file being imported twice."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting for a decision"
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not imported"

    class Mode(models.TextChoices):
        VALID_ROWS = "valid", "Import the valid rows"
        ALL_OR_NOTHING = "all", "Import nothing until every row is right"

    session = models.ForeignKey(EngagementSession, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="offline-imports/", blank=True)
    file_name = models.CharField(max_length=200)
    file_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    mode = models.CharField(max_length=5, choices=Mode.choices, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0, help_text="Rows already imported before.")
    problems = models.JSONField(default=list, blank=True, help_text="[row, column, message] for every problem.")
    error = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("staff:contribution_import", kwargs={"pk": self.pk})

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(int(self.rows_done * 100 / self.valid_rows), 100) if self.valid_rows else 0


class ContributionAudit(models.Model):
    """Who entered, edited, published or withdrew which contribution, and when. Never the words."""

    class Action(models.TextChoices):
        ENTERED = "entered", "Entered"
        IMPORTED = "imported", "Imported"
        EDITED = "edited", "Edited"
        PUBLISHED = "published", "Published in a discussion"
        WITHDRAWN = "withdrawn", "Consent withdrawn"

    contribution = models.ForeignKey(OfflineContribution, on_delete=models.CASCADE, related_name="audit")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(max_length=200, blank=True, help_text="Which fields changed, or where it was placed.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["contribution", "created_at"], name="programmes_offline_audit")]

    def __str__(self):
        return f"{self.get_action_display()} {self.contribution_id}"
