from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Event, EventAttendance, EventWaiting


def upcoming_events(*, programme=None):
    """Events that have not finished yet, soonest first, with their programme. Slice or paginate it."""
    events = (
        Event.objects.select_related("programme")
        .defer("description", "description_html", "accessibility", "programme__summary", "programme__name")
        .filter(ends_at__gt=timezone.now(), cancelled_at=None)
        .order_by("starts_at", "id")
    )
    return events.filter(programme=programme) if programme is not None else events


def event_for_page(*, slug: str, pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("programme"), pk=pk, programme__slug=slug)


def is_attending(*, event: Event, user) -> bool:
    return user.is_authenticated and EventAttendance.objects.filter(event=event, user=user).exists()


def is_waiting(*, event: Event, user) -> bool:
    return user.is_authenticated and EventWaiting.objects.filter(event=event, user=user).exists()


def event_attendees(*, event: Event) -> list[EventAttendance]:
    """Who booked, in booking order, with their name and email: one query however many."""
    return list(
        EventAttendance.objects.filter(event=event)
        .select_related("user")
        .only("created_at", "access_needs", "user__display_name", "user__email")
        .order_by("created_at", "id")
    )


def events_for_staff():
    return list(Event.objects.select_related("programme").order_by("-starts_at", "-id")[:200])
