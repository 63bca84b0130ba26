"""Booking confirmations, who is coming (with a sign-in sheet), readable times and calendar text."""

import csv
import io
from datetime import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from programmes.events import ical, services
from talkhealth import timefmt
from tests.factories import UserFactory
from tests.programmes.staff.factories import upcoming_event

pytestmark = pytest.mark.django_db


def _london(*parts):
    return timezone.make_aware(datetime(*parts))


def test_a_booking_is_confirmed_through_the_notification_outbox(staff, resident, django_capture_on_commit_callbacks):
    event = upcoming_event(staff, capacity=10, title="Screening roadshow")

    with django_capture_on_commit_callbacks(execute=True):
        services.event_attend(actor=resident, event=event, access_needs="A hearing loop, please")

    notification = Notification.objects.get(recipient=resident)
    assert notification.title == "Your place is booked: Screening roadshow"
    assert notification.url == event.get_absolute_url()
    assert timefmt.exact_range(event.starts_at, event.ends_at) in notification.excerpt
    assert [message.to for message in mail.outbox] == [[resident.email]]
    assert "Screening roadshow" in mail.outbox[0].subject + mail.outbox[0].body


def test_times_on_the_same_day_give_the_date_once():
    same_day = timefmt.exact_range(_london(2026, 12, 12, 18, 0), _london(2026, 12, 12, 20, 0))
    next_day = timefmt.exact_range(_london(2026, 12, 12, 18, 0), _london(2026, 12, 13, 9, 30))

    assert same_day == "12 December 2026, 6:00pm to 8:00pm"
    assert next_day == "12 December 2026, 6:00pm to 13 December 2026, 9:30am"


def test_the_event_page_says_the_time_once(client, staff):
    event = upcoming_event(staff)
    page = client.get(event.get_absolute_url()).content.decode()

    assert f">{timefmt.exact(event.starts_at)}</time> to <time" in page
    assert page.count(f"{timefmt.exact(event.ends_at).split(',')[0]},") <= 1


def test_the_calendar_description_is_plain_text(staff):
    event = upcoming_event(staff, description="Meet the **team**. See [the NHS](https://www.nhs.uk).")

    text = ical.event_ics(event).replace("\r\n ", "")

    assert "Meet the team. See the NHS (https://www.nhs.uk)." in text.replace("\\,", ",")
    assert "**" not in text and "](" not in text


def test_staff_see_who_booked_and_download_a_sign_in_sheet(client, staff, django_assert_num_queries):
    event = upcoming_event(staff, capacity=10)
    people = [UserFactory(display_name=name) for name in ("Ruth Okafor", "=Dev Patel")]
    for person, needs in zip(people, ["Step-free access", ""]):
        services.event_attend(actor=person, event=event, access_needs=needs)
    client.force_login(staff)

    page = client.get(f"/staff/events/{event.pk}/attendees/").content.decode()
    sheet = client.get(f"/staff/events/{event.pk}/attendees/?format=csv")

    assert "Ruth Okafor" in page and people[0].email in page and "Step-free access" in page
    rows = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert rows[1] == ["Name", "Email", "Access needs", "Booked", "Signature"]
    assert [row[0] for row in rows[2:]] == ["Ruth Okafor", "'=Dev Patel"]


@pytest.mark.parametrize("booked", [1, 8])
def test_the_attendee_page_costs_the_same_however_many_booked(client, staff, booked, django_assert_num_queries):
    event = upcoming_event(staff, capacity=10)
    for _ in range(booked):
        services.event_attend(actor=UserFactory(), event=event)
    client.force_login(staff)
    client.get(f"/staff/events/{event.pk}/attendees/")

    # session, user, groups, the event with its programme, the attendees with their names
    with django_assert_num_queries(5):
        client.get(f"/staff/events/{event.pk}/attendees/")


@pytest.mark.parametrize("role, status", [("resident", 404), ("moderator", 404)])
def test_only_staff_see_who_is_coming(client, staff, role, status, resident, moderator):
    event = upcoming_event(staff)
    client.force_login(resident if role == "resident" else moderator)

    assert client.get(f"/staff/events/{event.pk}/attendees/").status_code == status


def test_a_freed_place_goes_to_the_first_person_waiting_who_is_told(staff, django_capture_on_commit_callbacks):
    event = upcoming_event(staff, capacity=1, title="Small workshop")
    booked, first, second = UserFactory(), UserFactory(), UserFactory()
    services.event_attend(actor=booked, event=event)
    assert services.event_waiting_join(actor=first, event=event, access_needs="Large print")
    assert services.event_waiting_join(actor=second, event=event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_attendance_cancel(actor=booked, event=event)

    assert list(event.attendances.values_list("user", "access_needs")) == [(first.pk, "Large print")]
    assert list(event.waiting.values_list("user", flat=True)) == [second.pk]
    assert Notification.objects.get(recipient=first).title == "A place has come up and it is yours: Small workshop"
    assert [message.to for message in mail.outbox] == [[first.email]]


def test_raising_the_limit_books_people_waiting(staff):
    event = upcoming_event(staff, capacity=1)
    services.event_attend(actor=UserFactory(), event=event)
    waiting = UserFactory()
    services.event_waiting_join(actor=waiting, event=event)

    fields = {name: getattr(event, name) for name in ("title", "description", "starts_at", "ends_at", "venue",
                                                      "online_url", "borough", "accessibility")}
    services.event_save(actor=staff, event=event, programme=event.programme, capacity=2, **fields)

    assert event.attendances.filter(user=waiting).exists() and not event.waiting.exists()


def test_people_booked_are_told_when_the_time_or_place_changes(staff, django_capture_on_commit_callbacks):
    event = upcoming_event(staff, title="Roadshow")
    people = [UserFactory(), UserFactory()]
    for person in people:
        services.event_attend(actor=person, event=event)
    mail.outbox.clear()
    fields = {name: getattr(event, name) for name in ("title", "description", "ends_at", "online_url", "borough",
                                                      "accessibility", "capacity")}

    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(actor=staff, event=event, programme=event.programme, starts_at=event.starts_at,
                            venue="Croydon Clocktower, Katharine Street", **fields)

    told = Notification.objects.filter(title="The time or place has changed: Roadshow")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(p.pk for p in people)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)


def test_join_the_waiting_list_without_javascript(client, staff, resident):
    event = upcoming_event(staff, capacity=1)
    services.event_attend(actor=UserFactory(), event=event)
    client.force_login(resident)

    page = client.get(event.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page
    response = client.post(f"{event.get_absolute_url()}attend/", {"attend": "wait"}, follow=True)

    assert "You are on the waiting list" in response.content.decode()
    assert event.waiting.filter(user=resident).exists()


def test_staff_cancel_an_event_and_everyone_booked_or_waiting_is_told(client, staff, django_capture_on_commit_callbacks):
    event = upcoming_event(staff, capacity=1, title="Roadshow")
    booked, waiting = UserFactory(), UserFactory()
    services.event_attend(actor=booked, event=event)
    services.event_waiting_join(actor=waiting, event=event)
    mail.outbox.clear()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/events/{event.pk}/cancel/")

    assert response.status_code == 302
    told = Notification.objects.filter(title="Cancelled: Roadshow")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([booked.pk, waiting.pk])
    assert len(mail.outbox) == 2
    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event has been cancelled" in page
    assert "There are no upcoming events." in client.get("/events/").content.decode()
