"""Writes for events: keyword-only, one transaction each, permission checked inside."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import notifications
from accounts.boroughs import Borough
from talkhealth import markdown, timefmt

from .. import pagetags
from ..models import Programme
from .models import Event, EventAttendance, EventWaiting

MOVED_FIELDS = ("starts_at", "ends_at", "venue", "online_url")


def _clean(*, title, description, starts_at, ends_at, venue, online_url, borough, accessibility, capacity) -> dict:
    errors = {}
    title = " ".join((title or "").split())
    description = (description or "").strip()
    venue = " ".join((venue or "").split())
    online_url = (online_url or "").strip()
    if not title:
        errors["title"] = "Give the event a title."
    if not description:
        errors["description"] = "Describe the event: who it is for and what will happen."
    if starts_at is None:
        errors["starts_at"] = "Enter when the event starts."
    if ends_at is None:
        errors["ends_at"] = "Enter when the event ends."
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The event must end after it starts."
    if not venue and not online_url:
        errors["venue"] = "Give the venue's address, or an online joining link, or both."
    if online_url and not online_url.startswith("https://"):
        errors["online_url"] = "Online links must start with https://"
    if borough and borough not in Borough.values:
        errors["borough"] = "Choose a London borough, or leave it empty."
    if capacity is not None and capacity < 1:
        errors["capacity"] = "The booking limit must be at least 1, or empty for no limit."
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "description": description,
        "description_html": markdown.render(description),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": venue,
        "online_url": online_url,
        "borough": borough or "",
        "accessibility": (accessibility or "").strip(),
        "capacity": capacity,
    }


@transaction.atomic
def event_save(
    *,
    actor,
    programme: Programme,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str = "",
    online_url: str = "",
    borough: str = "",
    accessibility: str = "",
    capacity: int | None = None,
    event: Event | None = None,
) -> Event:
    """List an event, or change one. A booking limit cannot drop below the people already booked."""
    if not actor.has_perm("programmes.change_event"):
        raise PermissionDenied("Only partnership staff can list events.")
    fields = _clean(
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        online_url=online_url,
        borough=borough,
        accessibility=accessibility,
        capacity=capacity,
    )
    if event is None:
        event = Event.objects.create(programme=programme, created_by=actor, **fields)
    else:
        event = Event.objects.select_for_update().get(pk=event.pk)
        if capacity is not None and capacity < event.attendee_count:
            raise ValidationError(
                {"capacity": f"{event.attendee_count} people have already booked, so the limit cannot be lower."}
            )
        if event.programme_id != programme.pk:
            pagetags.programme_changed(event.programme)
        moved = [name for name in MOVED_FIELDS if getattr(event, name) != fields[name]]
        for name, value in fields.items():
            setattr(event, name, value)
        event.programme, event.updated_at = programme, timezone.now()
        event.save()
        if moved:
            _tell_booked_of_move(event)
        _offer_free_places(event)
    pagetags.programme_changed(programme, "events")
    return event


@transaction.atomic
def event_attend(*, actor, event: Event, access_needs: str = "") -> bool:
    """Book a place ("I'll attend"). The event row is locked while places are counted, so two people
    racing for the last place cannot both get it. Returns False if they were already booked.

    The person is sent a confirmation through the notification outbox (emailed after commit), with
    the time, the place and a link back to the event and its calendar file."""
    if not actor.has_perm("programmes.attend_event"):
        raise PermissionDenied("Confirm your email address before booking a place.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.ends_at <= timezone.now():
        raise ValidationError("This event has finished.", code="finished")
    if event.cancelled_at is not None:
        raise ValidationError("This event has been cancelled.", code="cancelled")
    if EventAttendance.objects.filter(event=event, user=actor).exists():
        return False
    if event.is_full:
        raise ValidationError("Sorry, this event is fully booked.", code="full")
    _book(event, actor, access_needs, title=f"Your place is booked: {event.title}")
    pagetags.programme_changed(event.programme, "events")
    return True


def _book(event: Event, user, access_needs: str, *, title: str) -> EventAttendance:
    attendance = EventAttendance.objects.create(
        event=event, user=user, access_needs=" ".join((access_needs or "").split())[:1000]
    )
    Event.objects.filter(pk=event.pk).update(attendee_count=F("attendee_count") + 1)
    event.attendee_count += 1
    _tell(event, [user], key=f"programmes.event_booking:{attendance.pk}", title=title)
    return attendance


def _tell(event: Event, people, *, key: str, title: str) -> None:
    """One notification per person through the outbox, with the time, the place and the event's page."""
    where = event.venue or "Online: the joining link is on the event page"
    url = event.get_absolute_url()
    notifications.notifications_create(
        event=notifications.Event(
            key=key,
            url=url,
            excerpt=f"{timefmt.exact_range(event.starts_at, event.ends_at)}. {where}.",
            section=event.programme.short_name,
            topic=event.title,
            topic_url=url,
        ),
        recipients=[(person, notifications.Category.EVENTS, title) for person in people],
    )


def _tell_booked_of_move(event: Event) -> None:
    booked = list(EventAttendance.objects.filter(event=event).values_list("user_id", flat=True))
    _tell(event, booked, key=f"programmes.event_moved:{event.pk}:{event.updated_at.timestamp()}",
          title=f"The time or place has changed: {event.title}")


def _offer_free_places(event: Event) -> int:
    """Give each free place to the first person waiting, who is told it is theirs."""
    given = 0
    while not event.is_full:
        waiting = EventWaiting.objects.select_related("user").filter(event=event).first()
        if waiting is None:
            break
        waiting.delete()
        _book(event, waiting.user, waiting.access_needs,
              title=f"A place has come up and it is yours: {event.title}")
        given += 1
    return given


@transaction.atomic
def event_cancel(*, actor, event: Event) -> Event:
    """Call an event off. Everyone booked or waiting is told, through the notification outbox."""
    if not actor.has_perm("programmes.change_event"):
        raise PermissionDenied("Only partnership staff can cancel events.")
    event = Event.objects.select_for_update().select_related("programme").get(pk=event.pk)
    if event.cancelled_at is not None:
        return event
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    people = list(EventAttendance.objects.filter(event=event).values_list("user_id", flat=True))
    people += list(EventWaiting.objects.filter(event=event).values_list("user_id", flat=True))
    _tell(event, people, key=f"programmes.event_cancelled:{event.pk}", title=f"Cancelled: {event.title}")
    pagetags.programme_changed(event.programme, "events")
    return event


@transaction.atomic
def event_waiting_join(*, actor, event: Event, access_needs: str = "") -> bool:
    """Wait for a place at a fully booked event. Returns False if already waiting or booked."""
    if not actor.has_perm("programmes.attend_event"):
        raise PermissionDenied("Confirm your email address before joining the waiting list.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.ends_at <= timezone.now():
        raise ValidationError("This event has finished.", code="finished")
    if not event.is_full:
        raise ValidationError("There are places left: book one instead.", code="not_full")
    if EventAttendance.objects.filter(event=event, user=actor).exists():
        return False
    _, created = EventWaiting.objects.get_or_create(
        event=event, user=actor, defaults={"access_needs": " ".join((access_needs or "").split())[:1000]}
    )
    return created


@transaction.atomic
def event_waiting_leave(*, actor, event: Event) -> bool:
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to manage your bookings.")
    deleted, _ = EventWaiting.objects.filter(event=event, user=actor).delete()
    return bool(deleted)


@transaction.atomic
def event_attendance_cancel(*, actor, event: Event) -> bool:
    """Give a place back. Returns False if they had not booked."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to manage your bookings.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    deleted, _ = EventAttendance.objects.filter(event=event, user=actor).delete()
    if deleted:
        Event.objects.filter(pk=event.pk).update(attendee_count=F("attendee_count") - 1)
        event.attendee_count -= 1
        _offer_free_places(event)
        pagetags.programme_changed(event.programme, "events")
    return bool(deleted)
