import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from . import equality
from .boroughs import Borough
from .names import skeleton
from .roles import Role


class UserManager(DjangoUserManager):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_verified", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. Their email signs them in and stays private; their display name is public."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=30)
    display_name_key = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The display name's confusable skeleton (accounts.names.skeleton): names that look alike share it.",
    )
    borough = models.CharField(max_length=32, choices=Borough.choices, blank=True)
    show_borough = models.BooleanField(
        default=False, help_text="Show the borough on the public profile page. Off unless the person turns it on."
    )
    email_verified = models.BooleanField(
        default=False, help_text="Mirrors a confirmed primary email address: only verified people may post."
    )
    unread_notification_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Kept by the notification services, so the header costs no query."
    )
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the person deleted their account. The row stays, without personal data, so their "
        "posts can still say \"Deleted user\".",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                condition=Q(deleted_at__isnull=True),
                name="accounts_user_display_name_ci_unique",
            ),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        """The look-alike key always follows the display name it is made from."""
        self.display_name_key = skeleton(self.display_name or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:profile")

    def has_role(self, role: Role) -> bool:
        """Group membership, cached on the instance so a page asks at most once per person."""
        if not self.is_authenticated:
            return False
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role.group_name in self._role_names

    @property
    def is_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR)

    @property
    def is_partnership_staff(self) -> bool:
        return self.has_role(Role.STAFF)


class NotificationCategory(models.TextChoices):
    """What a notification is about. Each has its own email frequency and unsubscribe link."""

    REPLY = "reply", "Replies to you"
    MENTION = "mention", "Mentions of your display name"
    FOLLOWED_THREAD = "followed_thread", "New comments in discussions you follow"
    PROGRAMME_UPDATE = "programme_update", "Updates in programmes you follow"
    OFFICIAL_RESPONSE = "official_response", "Official responses from the partnership"
    MODERATION = "moderation", "Moderation decisions and the outcome of your reports"
    APPEAL = "appeal", "Results of your appeals"
    EVENTS = "events", "Your event bookings"


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Straight away"
    DAILY = "daily", "Once a day, in a digest"
    WEEKLY = "weekly", "Once a week, in a digest"
    OFF = "off", "Never"


class EmailStatus(models.TextChoices):
    """Where a notification's email stands. Only PENDING and DIGEST rows are still to be sent."""

    PENDING = "pending", "Waiting to be sent"
    DIGEST = "digest", "Waiting for a digest"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not emailed"
    FAILED = "failed", "Given up after repeated failures"


class NotificationContent(models.Model):
    """What happened, as the person will read it: a snapshot, so the inbox needs no other app's tables.

    `event_key` names the event ("forums.comment:42"): a person gets one notification per event.
    `url` is site-relative and goes straight to the thing; `section` and `topic` (programme and
    thread, say) group digests.
    """

    category = models.CharField(max_length=24, choices=NotificationCategory.choices)
    event_key = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who caused it; never notified about their own action.",
    )
    title = models.CharField(max_length=255)
    excerpt = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    section = models.CharField(max_length=200, blank=True)
    topic = models.CharField(max_length=200, blank=True)
    topic_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Notification(NotificationContent):
    """One row in a person's inbox, and the outbox for its email.

    The service that causes the event writes it in its own transaction; a task sends the email
    and marks it sent. A row is only ever sent by whoever moves it out of PENDING.
    """

    # No index of its own: the inbox index and the once-per-event constraint both lead with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.SKIPPED)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_due_at = models.DateTimeField(null=True, blank=True, help_text="Not to be tried before this (backoff).")
    email_queued_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to the task queue.")
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="accounts_notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="accounts_notification_inbox"),
            models.Index(
                fields=["email_due_at"], name="accounts_notification_pending", condition=Q(email_status="pending")
            ),
            models.Index(fields=["recipient"], name="accounts_notification_digest", condition=Q(email_status="digest")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notifications:open", kwargs={"pk": self.pk})

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationFanOut(NotificationContent):
    """One event for an audience too big for a request (a programme update to its followers).

    The publishing service writes this row; a task turns it into notifications in chunks.
    `audience` is the dotted path of a function returning a queryset of users, so a lower app can
    name an upper one's audience by string. `cursor` is the last user id done: a run that dies resumes.
    """

    audience = models.CharField(max_length=200)
    audience_kwargs = models.JSONField(default=dict, blank=True)
    cursor = models.BigIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="accounts_fanout_open", condition=Q(completed_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.event_key} to {self.audience}"


class NotificationPreference(models.Model):
    """A person's email frequency for one category, stored only when they have chosen one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=24, choices=NotificationCategory.choices)
    frequency = models.CharField(max_length=12, choices=EmailFrequency.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="accounts_notificationpreference_once"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.category}: {self.frequency}"


class AccountDeletion(models.Model):
    """The moderators' record that an account was deleted: when, how, and what happened to its
    posts. It holds no personal data, only the id the remaining "Deleted user" row still has."""

    class Reason(models.TextChoices):
        REQUESTED = "requested", "Deleted by its owner"
        UNCONFIRMED = "unconfirmed", "Email address never confirmed"

    class Posts(models.TextChoices):
        KEPT = "kept", "Posts kept, shown as by \"Deleted user\""
        ERASED = "erased", "Posts erased; replies keep their place"
        NONE = "none", "No posts"

    account_id = models.BigIntegerField(null=True, blank=True, help_text="The remaining row, if any.")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    posts = models.CharField(max_length=8, choices=Posts.choices)
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self):
        return f"{self.get_reason_display()} at {self.deleted_at:%Y-%m-%d %H:%M}"


class DataExport(models.Model):
    """One "Download my data" request. A task builds the ZIP and emails a link; the file is kept
    privately (never under a public URL) until `expires_at`, and only its owner can download it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready to download"
        EXPIRED = "expired", "Expired"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.CharField(max_length=200, blank=True, help_text="Path in the default storage, under private/.")
    size = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"], name="accounts_dataexport_expiry")]

    def __str__(self):
        return f"Data export {self.token} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("accounts:export_download", kwargs={"token": self.token})

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.READY and self.expires_at is not None and self.expires_at > timezone.now()


class EqualityFields(models.Model):
    """The equality answers (accounts.equality): blank when not answered."""

    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0: prefer not to say.")
    sex = models.CharField(max_length=40, choices=equality.Sex.choices, blank=True)
    ethnic_group = models.CharField(max_length=40, choices=equality.EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=40, choices=equality.Disability.choices, blank=True)
    carer = models.CharField(max_length=40, choices=equality.Carer.choices, blank=True)

    class Meta:
        abstract = True


class EqualityAnswers(EqualityFields):
    """A person's current equality answers. The row exists only while they consent: withdrawing
    consent or deleting the account deletes it. Never shown publicly or to moderators."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equality")
    consented_at = models.DateTimeField(help_text="When the person agreed to these answers being kept.")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Equality answers of {self.user_id}"


class EqualitySnapshot(EqualityFields):
    """Who a person was on a day they took part in a programme: borough and equality answers as
    they were then, so figures do not drift as people age, move or change an answer. One row per
    person, programme and London day; the first post of the day takes it. The equality fields stay
    blank unless the person had consented."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    borough = models.CharField(max_length=32, choices=Borough.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "day"], name="accounts_equalitysnapshot_once_a_day"),
        ]
        indexes = [models.Index(fields=["programme", "day"], name="accounts_snapshot_period")]

    def __str__(self):
        return f"{self.user_id} in programme {self.programme_id} on {self.day}"
