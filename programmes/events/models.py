"""Events: roadshows, workshops and online sessions a programme runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.boroughs import Borough


class Event(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=5000)
    description_html = models.TextField(editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True, help_text="The address, for an event in person.")
    online_url = models.URLField(blank=True, help_text="The joining link, for an online event.")
    borough = models.CharField(max_length=32, choices=Borough.choices, blank=True)
    accessibility = models.TextField(
        blank=True, max_length=2000, help_text="Step-free access, hearing loops, BSL, quiet rooms, captions..."
    )
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Leave empty for no booking limit.")
    attendee_count = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="Cancelled by staff; everyone booked was told.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="programmes_event_upcoming"),
            models.Index(fields=["programme", "ends_at"], name="programmes_event_programme"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="programmes_event_ends_after"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(attendee_count__lte=models.F("capacity")),
                name="programmes_event_within_capacity",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:event", kwargs={"slug": self.programme.slug, "pk": self.pk})

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.attendee_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.attendee_count >= self.capacity


class EventAttendance(models.Model):
    """Someone who said "I'll attend"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_attendances")
    access_needs = models.TextField(
        blank=True, max_length=1000, help_text="What the person asked for to take part; staff see it on the sign-in sheet."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="programmes_event_attend_once")]
        indexes = [models.Index(fields=["user", "event"], name="programmes_event_attendee")]

    def __str__(self):
        return f"{self.user_id} attends {self.event_id}"


class EventWaiting(models.Model):
    """Someone waiting for a place at a fully booked event. When a place frees, the first in line
    gets it automatically and is told."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="waiting")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_waiting")
    access_needs = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="programmes_event_wait_once")]

    def __str__(self):
        return f"{self.user_id} waits for {self.event_id}"
