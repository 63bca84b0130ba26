"""Programme updates: drafting, checking, scheduling, publishing, unpublishing, and the discussion
each published update opens."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Notification
from forums import services as forum_services
from programmes.responses import services as responses
from forums.models import Thread, Visibility
from programmes import services as programme_services
from programmes.tasks import updates_publish_due
from programmes.updates import services
from programmes.updates.models import Update, UpdateStatus
from tests.factories import StaffFactory, UserFactory
from tests.programmes.staff.factories import draft_update, published_update

pytestmark = pytest.mark.django_db


def test_a_draft_is_saved_with_rendered_headings_and_images(staff, cancer):
    body = "## Why\n\nBecause.\n\n![A nurse taking a blood sample](https://example.org/nurse.jpg)"
    update = draft_update(staff, cancer, body=body, tags="Screening, waiting times")

    assert update.status == UpdateStatus.DRAFT and update.thread is None and update.published_at is None
    assert "<h2>Why</h2>" in update.body_html
    assert '<img src="https://example.org/nurse.jpg" alt="A nurse taking a blood sample">' in update.body_html
    assert update.tags == "screening, waiting times"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("![](https://example.org/x.png)", "Describe each image"),
        ("![   ](https://example.org/x.png)", "Describe each image"),
        ("![A chart](http://example.org/x.png)", "must have an address starting https://"),
        ("![A chart](//example.org/x.png)", "must have an address starting https://"),
        ("# Big heading\n\ntext", "Start headings with ## or ###"),
        ("#### Tiny heading\n\ntext", "Start headings with ## or ###"),
    ],
)
def test_images_need_alt_text_and_headings_start_at_level_two(staff, cancer, body, message):
    with pytest.raises(ValidationError) as error:
        draft_update(staff, cancer, body=body)
    assert message in str(error.value.message_dict["body"])
    assert not Update.objects.exists()


def test_raw_html_in_an_update_is_shown_as_text(staff, cancer):
    update = draft_update(staff, cancer, body='<script>alert(1)</script> <img src=x onerror="alert(1)">')
    assert "<script" not in update.body_html and "<img" not in update.body_html
    assert "&lt;script&gt;" in update.body_html


@pytest.mark.parametrize("role", ["anonymous", "unverified", "resident", "moderator"])
def test_only_partnership_staff_write_publish_and_unpublish_updates(role, staff, cancer):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(unverified=True),
        "resident": UserFactory(),
        "moderator": UserFactory(roles=["moderator"]),
    }[role]
    update = draft_update(staff, cancer)
    with pytest.raises(PermissionDenied):
        draft_update(actor, cancer)
    with pytest.raises(PermissionDenied):
        services.update_publish(actor=actor, update=update)
    with pytest.raises(PermissionDenied):
        services.update_schedule(actor=actor, update=update, publish_at=timezone.now() + timedelta(days=1))
    published = services.update_publish(actor=staff, update=update)
    with pytest.raises(PermissionDenied):
        services.update_unpublish(actor=actor, update=published)
    assert Update.objects.get().status == UpdateStatus.PUBLISHED


def test_publishing_opens_a_discussion_in_the_updates_board(staff, cancer):
    update = published_update(staff, cancer, tags="evening appointments")

    thread = update.thread
    assert update.status == UpdateStatus.PUBLISHED and update.published_at is not None
    assert thread.board.slug == "updates" and thread.board.programme == cancer and not thread.board.accepts_threads
    assert thread.visibility == Visibility.PUBLISHED and thread.title == update.title
    assert thread.body_html == update.body_html
    assert thread.get_absolute_url() == update.get_absolute_url() == f"/programmes/cancer/updates/{update.pk}/"
    assert list(thread.tags.names()) == ["evening appointments"]


def test_followers_hear_of_an_update_once_even_if_it_is_published_again(
    staff, cancer, django_capture_on_commit_callbacks
):
    followers = [UserFactory(), UserFactory()]
    for person in followers:
        programme_services.programme_follow_set(actor=person, programme=cancer, follow=True)
    programme_services.programme_follow_set(actor=staff, programme=cancer, follow=True)

    with django_capture_on_commit_callbacks(execute=True):
        update = published_update(staff, cancer)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_unpublish(actor=staff, update=update)
        services.update_publish(actor=staff, update=update)

    rows = Notification.objects.filter(event_key=f"programmes.update:{update.pk}")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(p.pk for p in followers)
    assert rows.first().url == update.get_absolute_url()
    assert rows.first().title == f"New update from {cancer.short_name}: {update.title}"


def test_unpublishing_hides_the_update_and_its_discussion(client, staff, cancer):
    update = published_update(staff, cancer)
    services.update_unpublish(actor=staff, update=update)

    assert Thread.objects.get(pk=update.thread_id).visibility == Visibility.HIDDEN
    assert client.get(update.get_absolute_url()).status_code == 404
    assert update.title not in client.get("/programmes/cancer/").content.decode()


def test_editing_a_published_update_changes_its_discussion_too(staff, cancer):
    update = published_update(staff, cancer)
    services.update_save(
        actor=staff, update=update, title="Later appointments", summary="S", body="New words.", tags=""
    )

    thread = Thread.objects.get(pk=update.thread_id)
    assert thread.title == "Later appointments" and "New words." in thread.body_html
    assert Update.objects.get().status == UpdateStatus.PUBLISHED


def test_a_published_update_cannot_move_programme(staff, cancer, mental_health):
    update = published_update(staff, cancer)
    with pytest.raises(ValidationError):
        services.update_save(actor=staff, update=update, programme=mental_health, title="T", summary="S", body="B")


def test_scheduling_needs_a_time_in_the_future(staff, cancer):
    update = draft_update(staff, cancer)
    with pytest.raises(ValidationError, match="future"):
        services.update_schedule(actor=staff, update=update, publish_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="already published"):
        services.update_schedule(
            actor=staff, update=published_update(staff, cancer), publish_at=timezone.now() + timedelta(days=1)
        )


def test_the_beat_task_publishes_scheduled_updates_when_due(staff, cancer, django_capture_on_commit_callbacks):
    due = draft_update(staff, cancer, title="Due now")
    later = draft_update(staff, cancer, title="Due tomorrow")
    services.update_schedule(actor=staff, update=due, publish_at=timezone.now() + timedelta(minutes=5))
    services.update_schedule(actor=staff, update=later, publish_at=timezone.now() + timedelta(days=1))
    Update.objects.filter(pk=due.pk).update(publish_at=timezone.now() - timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert updates_publish_due.delay().get() == 1

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == UpdateStatus.PUBLISHED and due.thread.author == staff and due.publish_at is None
    assert later.status == UpdateStatus.SCHEDULED
    assert services.updates_publish_due() == 0


def test_a_schedule_made_by_someone_no_longer_staff_goes_back_to_draft(cancer):
    former = StaffFactory()
    update = draft_update(former, cancer)
    services.update_schedule(actor=former, update=update, publish_at=timezone.now() + timedelta(minutes=5))
    Update.objects.filter(pk=update.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    former.groups.clear()

    assert services.updates_publish_due() == 0
    update.refresh_from_db()
    assert update.status == UpdateStatus.DRAFT and update.thread is None


def test_unpublish_cancels_a_schedule(staff, cancer):
    update = draft_update(staff, cancer)
    services.update_schedule(actor=staff, update=update, publish_at=timezone.now() + timedelta(days=1))
    services.update_unpublish(actor=staff, update=update)
    update.refresh_from_db()
    assert update.status == UpdateStatus.DRAFT and update.publish_at is None


def test_residents_cannot_start_discussions_on_the_updates_board(resident, cancer):
    board = responses.announcement_board_ensure(programme=cancer)
    with pytest.raises(ValidationError, match="cannot be started on this board"):
        forum_services.thread_create(actor=resident, board=board, title="Hello", body="Hello")


def test_seed_demo_adds_an_update_poll_event_and_official_response_once(capsys):
    from django.core.management import call_command

    from forums.models import Comment, Thread, ThreadStatus
    from programmes.events.models import Event
    from programmes.polls.models import Poll

    call_command("seed_demo")
    call_command("seed_demo")

    update = Update.objects.get(title="Shorter waits for talking therapies from April")
    assert update.status == UpdateStatus.PUBLISHED and update.programme.slug == "mental-health"
    assert Poll.objects.get(update__isnull=False).update == update
    assert Event.objects.filter(title="Talking therapies drop-in, Croydon").count() == 1
    official = Comment.objects.get(is_official=True, thread__title="Waiting times for talking therapies")
    thread = Thread.objects.get(pk=official.thread_id)
    assert thread.status == ThreadStatus.CHANGED and thread.status_update == update
    assert "Added a published update, a poll, an event, an official response" in capsys.readouterr().out
