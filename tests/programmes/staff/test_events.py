"""Events: listing, "I'll attend" within the booking limit, and the calendar file."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from programmes.events import ical, services
from programmes.events.models import Event, EventAttendance
from tests.factories import StaffFactory, UserFactory
from tests.programmes.staff.factories import upcoming_event

pytestmark = pytest.mark.django_db


def test_upcoming_events_show_per_programme_and_site_wide(client, staff):
    soon = upcoming_event(staff, "cancer", title="Screening roadshow")
    upcoming_event(
        staff, "mental-health", title="Wellbeing workshop", venue="", online_url="https://meet.example.org/x"
    )
    finished = upcoming_event(staff, "cancer", title="Old event", starts_at=timezone.now() - timedelta(days=3))

    site = client.get("/events/").content.decode()
    assert "Screening roadshow" in site and "Wellbeing workshop" in site and finished.title not in site
    cancer = client.get("/programmes/cancer/events/").content.decode()
    assert "Screening roadshow" in cancer and "Wellbeing workshop" not in cancer
    assert "Screening roadshow" in client.get("/programmes/cancer/").content.decode()
    assert "Screening roadshow" in client.get("/").content.decode()
    page = client.get(soon.get_absolute_url()).content.decode()
    assert "Croydon Library" in page and "Step-free access" in page and "<strong>screening</strong>" in page


def test_book_and_cancel_a_place_without_javascript(client, staff, resident):
    event = upcoming_event(staff, capacity=10)
    client.force_login(resident)
    response = client.post(f"{event.get_absolute_url()}attend/", {"attend": "1"}, follow=True)
    assert "Your place is booked." in response.content.decode()
    assert "You have a place at this event." in response.content.decode()
    assert Event.objects.get().attendee_count == 1

    client.post(f"{event.get_absolute_url()}attend/", {"attend": "1"})
    assert Event.objects.get().attendee_count == 1

    response = client.post(f"{event.get_absolute_url()}attend/", {"attend": "0"}, follow=True)
    assert "Your place has been cancelled." in response.content.decode()
    assert Event.objects.get().attendee_count == 0 and not EventAttendance.objects.exists()


def test_a_full_event_takes_no_more_bookings(staff):
    event = upcoming_event(staff, capacity=1)
    services.event_attend(actor=UserFactory(), event=event)
    with pytest.raises(ValidationError, match="fully booked"):
        services.event_attend(actor=UserFactory(), event=event)
    assert Event.objects.get().attendee_count == 1


def test_finished_events_take_no_bookings_and_unconfirmed_people_cannot_book(staff):
    past = upcoming_event(staff, starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError, match="finished"):
        services.event_attend(actor=UserFactory(), event=past)
    with pytest.raises(PermissionDenied):
        services.event_attend(actor=UserFactory(unverified=True), event=upcoming_event(staff))


def test_the_booking_limit_cannot_drop_below_the_people_booked(staff):
    event = upcoming_event(staff, capacity=5)
    for _ in range(3):
        services.event_attend(actor=UserFactory(), event=event)
    with pytest.raises(ValidationError) as error:
        services.event_save(
            actor=staff,
            event=event,
            programme=event.programme,
            title=event.title,
            description=event.description,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            venue=event.venue,
            capacity=2,
        )
    assert "3 people have already booked" in str(error.value)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"venue": "", "online_url": ""}, "venue"),
        ({"online_url": "http://x.example"}, "online_url"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_event_details_are_checked(staff, fields, field):
    with pytest.raises(ValidationError) as error:
        upcoming_event(staff, **fields)
    assert field in error.value.message_dict


def test_staff_list_an_event_from_the_staff_area(client, staff, cancer):
    client.force_login(staff)
    start = timezone.localtime() + timedelta(days=5)
    response = client.post(
        "/staff/events/new/",
        {
            "programme": cancer.pk,
            "title": "Ask the team",
            "description": "An open session.",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
            "venue": "",
            "online_url": "",
            "borough": "",
            "accessibility": "",
            "capacity": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "The event must end after it starts." in page and "Ask the team" in page
    assert not Event.objects.exists()


def test_the_calendar_file_follows_rfc_5545(staff):
    event = upcoming_event(
        staff,
        title="Screening; questions, answers",
        description="Line one\nLine two, with a comma " + "x" * 120,
        starts_at=datetime(2027, 3, 4, 18, 30, tzinfo=UTC),
    )
    ics = ical.event_ics(event, now=datetime(2027, 1, 1, 9, 0, tzinfo=UTC))

    lines = ics.split("\r\n")
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert f"UID:event-{event.pk}@127.0.0.1" in lines
    assert "DTSTAMP:20270101T090000Z" in lines and "DTSTART:20270304T183000Z" in lines
    assert "DTEND:20270304T203000Z" in lines
    assert "SUMMARY:Screening\\; questions\\, answers" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = ics.replace("\r\n ", "")
    assert "DESCRIPTION:Line one\\nLine two\\, with a comma " + "x" * 120 in unfolded


def test_the_calendar_download(client, staff):
    event = upcoming_event(staff)
    response = client.get(f"{event.get_absolute_url()}calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="talk-health-event-{event.pk}.ics"'
    assert b"BEGIN:VEVENT" in response.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_racing_for_the_last_place_cannot_both_get_it():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite runs one writer at a time")
    event = upcoming_event(StaffFactory(), capacity=3)
    people = [UserFactory() for _ in range(6)]
    start = threading.Barrier(len(people))
    outcomes = []

    def book(person):
        try:
            start.wait()
            services.event_attend(actor=person, event=event)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=book, args=(p,)) for p in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(outcomes) == ["booked"] * 3 + ["full"] * 3
    assert Event.objects.get().attendee_count == 3 == EventAttendance.objects.count()
