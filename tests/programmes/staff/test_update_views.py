"""The staff area's update pages and the public update page, without JavaScript and with htmx."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forums.models import Comment
from programmes.updates.models import Update, UpdateStatus
from tests.programmes.staff.factories import BODY, draft_update, published_update

pytestmark = pytest.mark.django_db


def _form(programme, **overrides):
    data = {
        "programme": programme.pk,
        "title": "Evening appointments",
        "summary": "More practices open late.",
        "body": BODY,
        "tags": "gp appointments",
        "publish_at": "",
    }
    data.update(overrides)
    return data


def test_staff_save_a_draft_and_come_back_to_it(client, staff, cancer):
    client.force_login(staff)
    response = client.post("/staff/updates/new/", {**_form(cancer), "action": "draft"}, follow=True)

    update = Update.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/updates/{update.pk}/"
    assert update.status == UpdateStatus.DRAFT and update.author == staff
    page = response.content.decode()
    assert "The update has been saved as a draft." in page
    assert "Evening appointments" in page and "Plain English check" in page


def test_preview_shows_the_update_as_residents_will_see_it_and_saves_nothing(client, staff, cancer):
    client.force_login(staff)
    response = client.post("/staff/updates/new/", {**_form(cancer), "action": "preview"})

    page = response.content.decode()
    assert response.status_code == 200 and not Update.objects.exists()
    assert "Preview: this is how residents will see the update" in page
    assert '<h1 id="update-title">Evening appointments</h1>' in page
    assert "<h2>What is changing</h2>" in page
    assert "Reading age" in page
    assert 'name="body" value="## What is changing' in page


def test_back_from_preview_to_the_form_keeps_every_word(client, staff, cancer):
    client.force_login(staff)
    response = client.post("/staff/updates/new/", {**_form(cancer, title="Kept title"), "action": "edit"})
    page = response.content.decode()
    assert 'value="Kept title"' in page and "What is changing" in page and not Update.objects.exists()


def test_a_bad_image_is_a_form_error_and_the_text_is_kept(client, staff, cancer):
    client.force_login(staff)
    body = "Look at this:\n\n![](https://example.org/chart.png)"
    response = client.post("/staff/updates/new/", {**_form(cancer, body=body), "action": "publish"})

    page = response.content.decode()
    assert response.status_code == 400 and not Update.objects.exists()
    assert "There is a problem" in page and "Describe each image" in page
    assert "![](https://example.org/chart.png)" in page


def test_schedule_from_the_form_and_cancel_it(client, staff, cancer):
    client.force_login(staff)
    when = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/staff/updates/new/", {**_form(cancer, publish_at=when), "action": "schedule"}, follow=True
    )
    update = Update.objects.get()
    assert update.status == UpdateStatus.SCHEDULED and update.scheduled_by == staff
    assert "The update is scheduled." in response.content.decode()

    response = client.post(f"/staff/updates/{update.pk}/unpublish/", follow=True)
    assert "The schedule is cancelled." in response.content.decode()
    assert Update.objects.get().status == UpdateStatus.DRAFT


def test_schedule_without_a_time_is_an_error_and_nothing_is_saved(client, staff, cancer):
    client.force_login(staff)
    response = client.post("/staff/updates/new/", {**_form(cancer), "action": "schedule"})
    assert (
        response.status_code == 400 and "Enter the date and time to publish the update." in response.content.decode()
    )
    assert not Update.objects.exists()


def test_publish_now_then_unpublish(client, staff, cancer):
    client.force_login(staff)
    client.post("/staff/updates/new/", {**_form(cancer), "action": "publish"})
    update = Update.objects.get()
    assert update.status == UpdateStatus.PUBLISHED
    assert client.get(update.get_absolute_url()).status_code == 200

    client.post(f"/staff/updates/{update.pk}/unpublish/")
    client.logout()
    assert client.get(update.get_absolute_url()).status_code == 404


def test_the_plain_english_check_answers_as_staff_type(client, staff):
    client.force_login(staff)
    response = client.post(
        "/staff/updates/plain-english/",
        {"title": "News", "summary": "", "body": "Ask your PCN."},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Reading age" in page and "<li>PCN</li>" in page


def test_published_updates_appear_on_the_home_page_and_hub_newest_first(client, staff, cancer):
    first = published_update(staff, cancer, title="First news")
    second = published_update(staff, cancer, title="Second news")
    Update.objects.filter(pk=first.pk).update(published_at=timezone.now() - timedelta(days=1))
    draft_update(staff, cancer, title="Secret draft")

    for url in ("/", "/programmes/cancer/", "/programmes/cancer/updates/", "/updates/"):
        page = client.get(url).content.decode()
        assert page.index(second.title) < page.index(first.title), url
        assert "Secret draft" not in page, url


def test_a_resident_comments_on_an_update_with_the_forum_machinery(client, resident, staff, cancer):
    update = published_update(staff, cancer)
    client.force_login(resident)
    response = client.post(
        f"/threads/{update.thread_id}/reply/", {"body": "Will this include Saturdays?"}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith(update.get_absolute_url())
    page = response.content.decode()
    assert "Will this include Saturdays?" in page and "Reply to this update" in page
    assert Comment.objects.get().thread_id == update.thread_id


def test_the_discussion_of_an_update_redirects_to_the_update(client, staff, cancer):
    update = published_update(staff, cancer)
    response = client.get(f"/threads/{update.thread_id}/{update.thread.slug}/?page=1")
    assert response.status_code == 302 and response["Location"] == f"{update.get_absolute_url()}?page=1"


def test_a_draft_is_a_404_for_everyone_but_staff(client, resident, staff, cancer):
    update = draft_update(staff, cancer)
    url = f"/programmes/cancer/updates/{update.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert "Only partnership staff can see it." in client.get(url).content.decode()


# The update with its discussion; top-level comments and their replies; the staff group and which
# authors are in it; the update's polls with their answers; the themes of what residents said that
# led to it. Signed in adds the session, the person, their groups, their suspension check, their
# comment likes, thread like, follow and poll votes.
UPDATE_PAGE = {"anonymous": 7, "resident": 13}


@pytest.mark.parametrize("viewer", ["anonymous", "resident"])
@pytest.mark.parametrize("replies", [2, 60])
def test_the_update_page_costs_the_same_at_any_size(client, django_assert_num_queries, staff, viewer, replies):
    """The update, its discussion (comments, replies, likes, staff badges) and its polls: a fixed cost."""
    from tests.factories import UserFactory
    from tests.forums.factories import CommentFactory
    from tests.programmes.staff.factories import open_poll

    update = published_update(staff)
    open_poll(staff, update=update)
    people = [UserFactory() for _ in range(4)]
    top = [CommentFactory(thread=update.thread, author=people[i % 4]) for i in range(replies)]
    for comment in top[: replies // 2]:
        CommentFactory(parent=comment, author=people[0])
    if viewer == "resident":
        client.force_login(people[1])
    url = update.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_assert_num_queries(UPDATE_PAGE[viewer]):
        client.get(url)
