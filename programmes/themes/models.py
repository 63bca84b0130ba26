"""A codebook per programme, the codes staff give contributions, discovery runs and their proposals,
quotes and the decisions a theme led to.

Contributions are named by kind and primary key ("comment", 123), as CorpusItem.key names them,
so thread openers, comments and offline contributions are coded alike without a foreign key to
each table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class ThemeStatus(models.TextChoices):
    ACTIVE = "active", "In use"
    MERGED = "merged", "Merged into another theme"
    RETIRED = "retired", "Retired"


class Theme(models.Model):
    """A theme in a programme's codebook; `parent` makes it a second-level theme."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    inclusion_notes = models.TextField(blank=True, help_text="What counts as this theme, and what does not.")
    status = models.CharField(max_length=8, choices=ThemeStatus.choices, default=ThemeStatus.ACTIVE)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                "programme", models.functions.Lower("name"), condition=Q(status="active"), name="themes_active_name"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("staff:themes:theme", kwargs={"slug": self.programme.slug, "pk": self.pk})

    def get_public_url(self):
        """Its page for residents, which exists once the theme fed a public decision."""
        return reverse("programmes:theme", kwargs={"slug": self.programme.slug, "pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == ThemeStatus.ACTIVE


class ThemeChange(models.Model):
    """The codebook's audit trail: who changed what, and when."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Renamed or edited"
        MERGED = "merged", "Merged"
        SPLIT = "split", "Split"
        RETIRED = "retired", "Retired"
        ACCEPTED = "accepted", "Accepted from discovery"
        LINKED = "linked", "Linked to a decision"
        QUOTED = "quoted", "Quote chosen"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class CodingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Coded by a person"
    SUGGESTED = "suggested", "Suggested, awaiting a person"
    REJECTED = "rejected", "Suggestion rejected"


class Coding(models.Model):
    """One theme on one contribution. Only CONFIRMED codings count: a suggestion is a question."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    kind = models.CharField(max_length=10)
    item_pk = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=CodingStatus.choices)
    confidence = models.FloatField(null=True, blank=True, help_text="The classifier's, for suggestions.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "kind", "item_pk"], name="themes_coding_once"),
        ]
        indexes = [
            models.Index(fields=["kind", "item_pk"], name="themes_coding_item"),
            models.Index(fields=["programme", "status"], name="themes_coding_programme"),
        ]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item_pk}"


class DiscoveryRun(models.Model):
    """One run of theme discovery, kept with everything needed to repeat it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    class Job(models.TextChoices):
        DISCOVER = "discover", "Theme discovery"
        SUGGEST = "suggest", "Suggested codes"

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    job = models.CharField(max_length=10, choices=Job.choices, default=Job.DISCOVER)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    k_requested = models.PositiveSmallIntegerField(null=True, blank=True)
    k = models.PositiveSmallIntegerField(null=True, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True, help_text="Inclusive.")
    corpus_size = models.PositiveIntegerField(default=0)
    corpus_sha256 = models.CharField(max_length=64, blank=True)
    parameters = models.JSONField(default=dict)
    versions = models.JSONField(default=dict)
    stability = models.JSONField(default=dict)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_job_display()} {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("staff:themes:run", kwargs={"slug": self.programme.slug, "pk": self.pk})

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.steps_done * 100 / self.steps_total) if self.steps_total else 0


class ProposedTheme(models.Model):
    """A theme discovery proposes: staff accept it (it becomes a theme), merge it into one, or discard it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting a decision"
        ACCEPTED = "accepted", "Accepted"
        MERGED = "merged", "Merged into a theme"
        DISCARDED = "discarded", "Discarded"

    run = models.ForeignKey(DiscoveryRun, on_delete=models.CASCADE, related_name="proposals")
    index = models.PositiveSmallIntegerField()
    terms = models.JSONField(default=list)
    suggested_name = models.CharField(max_length=120)
    examples = models.JSONField(default=list, help_text="Keys of the five items that show it best.")
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="themes_proposal_once")]


class Quote(models.Model):
    """A representative quote staff chose for a theme, from a published or consented item. It keeps
    no copy of the words: they are read from the item each time (programmes.themes.public.live_quotes),
    so words taken down, withdrawn or edited are never quoted as they were."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="quotes")
    kind = models.CharField(max_length=10)
    item_pk = models.PositiveBigIntegerField()
    attribution = models.CharField(max_length=200)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["theme", "kind", "item_pk"], name="themes_quote_once")]


class ThemeDecision(models.Model):
    """A decision a theme fed: an official response or a programme update."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="decisions")
    update = models.ForeignKey("programmes.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    response = models.ForeignKey("forums.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    people_told = models.PositiveIntegerField(default=0)
    offline_not_told = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update__isnull=True, response__isnull=False)
                | Q(update__isnull=False, response__isnull=True),
                name="themes_decision_one_kind",
            ),
            models.UniqueConstraint(fields=["theme", "update"], name="themes_decision_update_once"),
            models.UniqueConstraint(fields=["theme", "response"], name="themes_decision_response_once"),
        ]

    @property
    def event_key(self) -> str:
        target = f"update:{self.update_id}" if self.update_id else f"response:{self.response_id}"
        return f"themes.decision:{self.theme_id}:{target}"
