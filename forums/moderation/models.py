"""Moderation records: reports, the review queue, sanctions, appeals and the audit log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive or offensive"
    OFF_TOPIC = "off_topic", "Off-topic"
    PERSONAL = "personal", "Shares personal or medical details"
    AT_RISK = "at_risk", "Someone may be at risk"
    OTHER = "other", "Something else"


class HouseRule(models.TextChoices):
    """The house rules, numbered as on the house rules page."""

    KIND = "1", "1. Be kind and respectful"
    PRIVATE = "2", "2. Keep personal and medical details private"
    ADVICE = "3", "3. Share experiences, not medical advice"
    SPAM = "4", "4. No spam, advertising or fundraising"
    YOURSELF = "5", "5. Be yourself: no impersonation"
    TOPIC = "6", "6. Stay on topic"
    SAFE = "7", "7. Keep each other safe"
    LAW = "8", "8. Stay within the law"


class Priority(models.IntegerChoices):
    AT_RISK = 0, "Someone may be at risk"
    HELD = 1, "Held for review"
    REPORTED = 2, "Reported"


SUPPORTIVE_MESSAGE = (
    "Hello {name},\n\nI am one of the moderators on Talk Health. I read what you wrote and wanted to check "
    "you are all right. You do not have to go through this on your own, and you did the right thing by "
    "sharing it.\n\nIf you can, talk to someone you trust today, or to your GP. The people below are there "
    "for you at any time."
)


class ModerationConfig(models.Model):
    """Thresholds moderators can tune in admin. There is one row."""

    report_threshold = models.PositiveSmallIntegerField(
        default=3, help_text="Open reports from different people that hide content until it is reviewed."
    )
    premoderated_posts = models.PositiveSmallIntegerField(
        default=2, help_text="How many of a new account's first posts wait for approval."
    )
    supportive_message = models.TextField(
        default=SUPPORTIVE_MESSAGE,
        help_text="The private message moderators start from when someone may be at risk. "
        "The urgent help numbers are always added after it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "moderation settings"
        verbose_name_plural = "moderation settings"

    def __str__(self):
        return "Moderation settings"

    @classmethod
    def current(cls) -> "ModerationConfig":
        """The settings row, created on first use from MODERATION_DEFAULTS."""
        config, _ = cls.objects.get_or_create(pk=1, defaults=settings.MODERATION_DEFAULTS)
        return config


class WordRule(models.Model):
    class Kind(models.TextChoices):
        BLOCK = "block", "Block: refuse the post"
        HOLD = "hold", "Hold the post for review"
        CRISIS = "crisis", "Crisis language: urgent review and signposting"

    phrase = models.CharField(max_length=100, help_text="Matched as whole words, ignoring case.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "phrase"]
        constraints = [models.UniqueConstraint(fields=["phrase", "kind"], name="forums_wordrule_unique")]

    def __str__(self):
        return f"{self.phrase} ({self.get_kind_display()})"


class ModeratorScope(models.Model):
    """A moderator with scope rows sees and acts only in those programmes; without any, everywhere."""

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_scopes")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["moderator", "programme"], name="forums_scope_unique")]

    def __str__(self):
        return f"{self.moderator} moderates {self.programme}"


class FlaggedItem(models.Model):
    """One thread or comment waiting for a moderator. Each piece of content has at most one pending."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        RESOLVED = "resolved", "Resolved"

    thread = models.ForeignKey("forums.Thread", on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("forums.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    content_key = models.CharField(max_length=24, help_text='"thread:<id>" or "comment:<id>".')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.REPORTED)
    held = models.BooleanField(default=False, help_text="Posted but waiting for approval.")
    hold_reasons = models.JSONField(default=list, blank=True)
    open_reports = models.PositiveIntegerField(default=0)
    flagged_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    first_looked_at = models.DateTimeField(
        null=True, blank=True, help_text="When a moderator first acted on it (a decision, a message, a referral)."
    )
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="When safeguarding leads were told it waited.")

    class Meta:
        ordering = ["priority", "-open_reports", "flagged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_key"], condition=Q(status="pending"), name="forums_flaggeditem_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "priority", "-open_reports", "flagged_at"], name="forums_queue")]

    def __str__(self):
        return f"{self.content_key} ({self.get_status_display()})"

    @property
    def target(self):
        return self.comment or self.thread


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld: action taken"
        DISMISSED = "dismissed", "Dismissed: no action"

    item = models.ForeignKey(FlaggedItem, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made")
    content_key = models.CharField(max_length=24)
    reason = models.CharField(max_length=12, choices=ReportReason.choices)
    details = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_key"], condition=Q(status="open"), name="forums_report_one_open"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on {self.content_key}"


class ModerationAction(models.Model):
    """The audit log: every moderator action, who, what, when, why, before and after. Never edited."""

    class Kind(models.TextChoices):
        DISMISS = "dismiss", "Dismissed reports"
        APPROVE = "approve", "Approved held content"
        HIDE = "hide", "Hid content"
        REMOVE = "remove", "Removed content"
        RESTORE = "restore", "Restored content"
        EDIT = "edit", "Edited content"
        LOCK = "lock", "Locked thread"
        UNLOCK = "unlock", "Unlocked thread"
        PIN = "pin", "Pinned thread"
        UNPIN = "unpin", "Unpinned thread"
        MOVE = "move", "Moved thread"
        WARN = "warn", "Warned author"
        SUSPEND = "suspend", "Suspended posting"
        BAN = "ban", "Banned"
        APPEAL_UPHELD = "appeal_upheld", "Upheld a decision on appeal"
        APPEAL_REVERSED = "appeal_reversed", "Reversed a decision on appeal"
        AUTO_HIDE = "auto_hide", "Hidden automatically after reports"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    item = models.ForeignKey(FlaggedItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    content_key = models.CharField(max_length=24, blank=True)
    thread = models.ForeignKey("forums.Thread", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    comment = models.ForeignKey("forums.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_received"
    )
    reason = models.TextField()
    house_rule = models.CharField(max_length=2, choices=HouseRule.choices, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="forums_audit_recent")]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError("The moderation audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The moderation audit log cannot be deleted.")


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        SUSPENSION = "suspension", "Posting suspended"
        BAN = "ban", "Banned"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    house_rule = models.CharField(max_length=2, choices=HouseRule.choices, blank=True)
    action = models.ForeignKey(ModerationAction, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "kind", "until"], name="forums_sanction_active")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a different moderator"
        UPHELD = "upheld", "Decision upheld"
        REVERSED = "reversed", "Decision reversed"

    action = models.OneToOneField(ModerationAction, on_delete=models.PROTECT, related_name="appeal")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Appeal against {self.action}"


class SafeguardingEntry(models.Model):
    """The safeguarding log: what was done for someone who may be at risk. Apart from the moderation
    audit log, read only by safeguarding leads, never edited."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Sent a supportive message"
        REFERRAL = "referral", "Recorded a safeguarding referral"
        ESCALATION = "escalation", "Told safeguarding leads it had no first look in time"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    item = models.ForeignKey(FlaggedItem, on_delete=models.SET_NULL, null=True, related_name="safeguarding")
    content_key = models.CharField(max_length=24, blank=True)
    programme = models.ForeignKey("programmes.Programme", on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    referred_to = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "safeguarding log entries"

    def __str__(self):
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The safeguarding log cannot be changed.")
        super().save(*args, **kwargs)


class SafetyAlert(models.Model):
    """One "someone may be at risk" alert for moderators. Written with the item, sent by a task that
    emails each moderator at most once every few minutes, listing every unsent alert: none is dropped."""

    item = models.ForeignKey(FlaggedItem, on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="forums_safetyalert_unsent")]

    def __str__(self):
        return f"Alert about {self.item.content_key}"
