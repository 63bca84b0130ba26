"""Official responses, a discussion's status, and each programme's "You said, we did" page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from accounts.notifications import Category
from forums import services as forum_services
from programmes.responses import services as responses
from forums.models import Thread, ThreadStatus
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board
from tests.programmes.staff.factories import draft_update, published_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(db):
    return ThreadFactory(board=general_board("cancer"), title="Screening letters arrive late")


def test_staff_post_an_official_response_shown_distinctly_and_linked_from_the_top(client, staff, thread):
    earlier = CommentFactory(thread=thread)
    response = forum_services.comment_post(
        actor=staff, thread=thread, body="Thank you. Letters now go out a week earlier.", official=True
    )
    forum_services.comment_post(actor=staff, thread=thread, body="A second official note.", official=True)

    thread.refresh_from_db()
    assert response.is_official and thread.official_response_id == response.pk
    assert thread.status == ThreadStatus.RESPONDED
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Official response from the Cancer team" in page
    assert f'href="/comments/{response.pk}/">Read the official response from the Cancer team</a>' in page
    assert page.count("th-comment--official") == 2 and f'id="comment-{earlier.pk}"' in page


def test_an_official_response_posted_with_htmx_is_shown_in_place(client, staff, thread):
    """Without JavaScript the reply form redirects; with htmx the new response comes back as a
    fragment, rendered with a listing of its own."""
    client.force_login(staff)
    response = client.post(
        f"/threads/{thread.pk}/reply/", {"body": "We have changed the letters.", "official": "on"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Official response from the Cancer team" in response.text and "We have changed the letters." in response.text


def test_the_thread_author_hears_of_an_official_response_as_one(thread, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.comment_post(actor=staff, thread=thread, body="Our answer.", official=True)
    row = Notification.objects.get(recipient=thread.author)
    assert row.category == Category.OFFICIAL_RESPONSE


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_staff_can_post_an_official_response(client, thread, role):
    actor = UserFactory(roles=[role] if role != "resident" else None)
    with pytest.raises(PermissionDenied):
        forum_services.comment_post(actor=actor, thread=thread, body="I speak for the NHS", official=True)
    client.force_login(actor)
    assert client.post(f"/threads/{thread.pk}/reply/", {"body": "Official!", "official": "on"}).status_code == 403
    assert not thread.comments.exists()


def test_staff_post_officially_from_the_thread_page(client, staff, thread):
    client.force_login(staff)
    client.post(f"/threads/{thread.pk}/reply/", {"body": "The team's answer.", "official": "on"})
    assert Thread.objects.get(pk=thread.pk).official_response.body == "The team's answer."


def test_led_to_a_change_must_name_a_published_update_from_the_same_programme(staff, thread):
    draft = draft_update(staff, "cancer")
    elsewhere = published_update(staff, "mental-health")
    with pytest.raises(ValidationError, match="Choose the update"):
        responses.thread_status_set(actor=staff, thread=thread, status=ThreadStatus.CHANGED)
    for update in (draft, elsewhere):
        with pytest.raises(ValidationError, match="published update from this discussion's programme"):
            responses.thread_status_set(actor=staff, thread=thread, status=ThreadStatus.CHANGED, update=update)
    assert Thread.objects.get(pk=thread.pk).status == ThreadStatus.OPEN


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_staff_set_a_discussions_status(thread, role):
    with pytest.raises(PermissionDenied):
        responses.thread_status_set(
            actor=UserFactory(roles=[role] if role != "resident" else None),
            thread=thread,
            status=ThreadStatus.CONSIDERING,
        )


def test_everyone_who_took_part_hears_the_status_and_the_update_is_linked(
    client, staff, thread, django_capture_on_commit_callbacks
):
    commenters = [CommentFactory(thread=thread).author for _ in range(2)]
    bystander = UserFactory()
    update = published_update(staff, "cancer", title="Screening letters: what we changed")

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/threads/{thread.pk}/status/", {"status": "changed", "update": update.pk}, follow=True
        )

    assert "Everyone who took part in the discussion is being told." in response.content.decode()
    told = Notification.objects.filter(event_key__startswith=f"forums.status:{thread.pk}:")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [thread.author_id] + [c.pk for c in commenters]
    )
    assert bystander.pk not in told.values_list("recipient_id", flat=True)
    assert told.first().url == update.get_absolute_url()
    assert "marked “Screening letters arrive late” as led to a change" in told.first().title

    client.logout()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Led to a change" in page and f'href="{update.get_absolute_url()}"' in page
    said = client.get("/programmes/cancer/you-said-we-did/").content.decode()
    assert "Screening letters arrive late" in said and "Screening letters: what we changed" in said


def test_the_status_form_explains_what_is_missing(client, staff, thread):
    client.force_login(staff)
    response = client.post(f"/staff/threads/{thread.pk}/status/", {"status": "changed"})
    assert response.status_code == 400
    assert "Choose the update that records the change." in response.content.decode()


def test_you_said_we_did_is_empty_until_the_team_answers(client):
    ThreadFactory(board=general_board("cancer"))
    page = client.get("/programmes/cancer/you-said-we-did/").content.decode()
    assert "The team has not responded to any discussions yet." in page
