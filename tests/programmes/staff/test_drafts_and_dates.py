"""Half-written drafts, the NHS.UK date input with a time, and a preview that does not claim to be live."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programmes.updates import services
from programmes.updates.models import Update, UpdateStatus
from talkhealth.dateinput import DateTimeField, parse_time
from tests.programmes.staff.test_update_views import _form

pytestmark = pytest.mark.django_db


def test_a_draft_needs_only_a_title_and_its_programme(client, staff, cancer):
    client.force_login(staff)

    response = client.post("/staff/updates/new/", {**_form(cancer, summary="", body=""), "action": "draft"})

    assert response.status_code == 302
    update = Update.objects.get()
    assert (update.title, update.summary, update.body, update.status) == ("Evening appointments", "", "", "draft")


def test_a_half_written_draft_cannot_be_published_or_scheduled(client, staff, cancer):
    client.force_login(staff)
    client.post("/staff/updates/new/", {**_form(cancer, summary="", body=""), "action": "draft"})
    update = Update.objects.get()

    refused = client.post(f"/staff/updates/{update.pk}/", {**_form(cancer, summary="", body=""), "action": "publish"})

    assert refused.status_code == 400
    assert "Write a summary of one or two sentences." in refused.content.decode()
    with pytest.raises(ValidationError):
        services.update_publish(actor=staff, update=update)
    assert Update.objects.get().status == UpdateStatus.DRAFT


def test_staff_schedule_with_day_month_year_and_time(client, staff, cancer):
    client.force_login(staff)
    year = timezone.localdate().year + 1
    parts = {"publish_at_0": "27", "publish_at_1": "3", "publish_at_2": str(year), "publish_at_3": "6:30pm"}

    response = client.post("/staff/updates/new/", {**_form(cancer), **parts, "action": "schedule"})

    assert response.status_code == 302
    update = Update.objects.get()
    assert timezone.localtime(update.publish_at).replace(tzinfo=None) == datetime(year, 3, 27, 18, 30)
    page = client.get(f"/staff/updates/{update.pk}/").content.decode()
    assert 'id="id_publish_at_0" name="publish_at_0" type="text" value="27"' in page
    assert 'name="publish_at_3" type="text" value="18:30"' in page
    assert 'type="datetime-local"' not in page


@pytest.mark.parametrize(
    "parts, message",
    [
        (["27", "", "2027", "18:30"], "The date must include a month"),
        (["31", "2", "2027", "18:30"], "The date must be a real date, for example 27 3 2027"),
        (["27", "3", "2027", "25:00"], "The date must include a real time, for example 18:30"),
        (["27", "3", "27", "18:30"], "The date must be a real date, for example 27 3 2027"),
    ],
)
def test_date_errors_say_which_part_is_wrong(parts, message):
    with pytest.raises(ValidationError) as refused:
        DateTimeField(what="The date").clean(parts)

    assert refused.value.messages == [message]


@pytest.mark.parametrize("typed, hour, minute", [("18:30", 18, 30), ("6.30pm", 18, 30), ("6pm", 18, 0), ("12am", 0, 0), ("9", 9, 0)])
def test_times_are_read_as_people_write_them(typed, hour, minute):
    assert (parse_time(typed).hour, parse_time(typed).minute) == (hour, minute)


def test_the_preview_of_an_unpublished_update_does_not_say_published(client, staff, cancer):
    client.force_login(staff)

    page = client.post("/staff/updates/new/", {**_form(cancer), "action": "preview"}).content.decode()

    assert "Not published yet" in page
    assert "Published just now" not in page and ">Published " not in page
