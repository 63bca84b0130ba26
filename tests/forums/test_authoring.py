"""Authors edit or delete the opening post of their own discussion, and read its edit history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums import authoring, services
from forums.models import Board, Thread, ThreadRevision
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_the_author_edits_their_opening_post_and_the_old_text_is_kept(resident):
    thread = ThreadFactory(author=resident, title="My GP in Hackney", body="My number is on the letter.")

    edited = authoring.thread_edit(actor=resident, thread=thread, title="My GP", body="Letters arrive late.")

    thread.refresh_from_db()
    assert (thread.title, thread.body, thread.body_html) == ("My GP", "Letters arrive late.", "<p>Letters arrive late.</p>")
    assert edited.edited_at is not None
    revision = ThreadRevision.objects.get(thread=thread)
    assert (revision.title, revision.body, revision.edited_by) == ("My GP in Hackney", "My number is on the letter.", resident)


def test_an_unchanged_edit_keeps_no_revision(resident):
    thread = ThreadFactory(author=resident, title="Same", body="Same text.")

    authoring.thread_edit(actor=resident, thread=thread, title="Same", body="Same text.")

    assert not ThreadRevision.objects.exists()


@pytest.mark.parametrize("who", ["other resident", "moderator"])
def test_only_the_author_edits_or_deletes_through_these_services(who):
    thread = ThreadFactory(title="Someone else's")
    actor = UserFactory() if who == "other resident" else ModeratorFactory()

    with pytest.raises(PermissionDenied):
        authoring.thread_edit(actor=actor, thread=thread, title="Changed", body="Changed.")
    with pytest.raises(PermissionDenied):
        authoring.thread_delete(actor=actor, thread=thread)
    assert Thread.objects.get(pk=thread.pk).title == "Someone else's"


def test_deleting_a_discussion_nobody_answered_removes_it(resident):
    thread = ThreadFactory(author=resident)
    board = Board.objects.get(pk=thread.board_id)

    assert authoring.thread_delete(actor=resident, thread=thread) is None

    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert Board.objects.get(pk=board.pk).thread_count == board.thread_count - 1


def test_deleting_a_discussion_with_replies_keeps_the_replies_under_a_placeholder(resident):
    thread = ThreadFactory(author=resident, title="Housing worries in Hackney", body="Personal", tags=["housing"])
    authoring.thread_edit(actor=resident, thread=thread, title="Housing", body="Still personal")
    CommentFactory(thread=thread, body="Sorry to hear it")

    kept = authoring.thread_delete(actor=resident, thread=thread)

    kept.refresh_from_db()
    assert (kept.title, kept.body, kept.body_html) == ("Discussion deleted by its author", "", "")
    assert kept.is_deleted and kept.is_locked
    assert not kept.revisions.exists() and list(kept.tags.names()) == []
    assert kept.comments.get().body == "Sorry to hear it"
    with pytest.raises(ValidationError):
        authoring.thread_edit(actor=resident, thread=kept, title="Back", body="Again")


def test_an_edit_that_adds_personal_details_asks_first(resident):
    thread = ThreadFactory(author=resident, body="Nothing personal.")

    with pytest.raises(ValidationError) as refused:
        authoring.thread_edit(actor=resident, thread=thread, title=thread.title, body="Ring me on 07700 900123.")

    assert refused.value.code == "personal_info"
    assert Thread.objects.get(pk=thread.pk).body == "Nothing personal."


# Pages

ROLES = ["anonymous", "author", "other resident", "moderator", "unverified author"]


def _as(client, role, thread):
    if role == "anonymous":
        return
    user = {
        "author": thread.author,
        "other resident": UserFactory(),
        "moderator": ModeratorFactory(),
        "unverified author": thread.author,
    }[role]
    if role == "unverified author":
        type(user).objects.filter(pk=user.pk).update(email_verified=False)
    client.force_login(user)


@pytest.mark.parametrize(
    "role, edit, delete, history",
    [
        ("anonymous", 302, 302, 302),
        ("author", 200, 200, 200),
        ("other resident", 404, 404, 404),
        ("moderator", 404, 404, 404),  # moderators read earlier versions on the moderation page
        ("unverified author", 404, 404, 200),
    ],
)
def test_who_may_open_the_edit_delete_and_history_pages(client, role, edit, delete, history):
    thread = ThreadFactory(title="Clinic hours")
    _as(client, role, thread)

    codes = [client.get(f"/threads/{thread.pk}/{action}/").status_code for action in ("edit", "delete", "history")]

    assert codes == [edit, delete, history]


def test_the_author_edits_without_javascript_and_sees_the_history(client):
    thread = ThreadFactory(title="Clinic hours", body="Open 9 to 5?")
    client.force_login(thread.author)

    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="/threads/{thread.pk}/edit/">Edit<span class="nhsuk-u-visually-hidden"> your discussion</span>' in page

    refused = client.post(f"/threads/{thread.pk}/edit/", {"title": "", "body": "Open 8 to 6?"})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()

    response = client.post(f"/threads/{thread.pk}/edit/", {"title": "Clinic opening hours", "body": "Open 8 to 6?"})
    assert response.url == Thread.objects.get(pk=thread.pk).get_absolute_url()

    page = client.get(response.url).content.decode()
    assert "(edited)" in page and f'href="/threads/{thread.pk}/history/"' in page
    history = client.get(f"/threads/{thread.pk}/history/").content.decode()
    assert "Clinic hours" in history and "Open 9 to 5?" in history and "Open 8 to 6?" in history


def test_the_author_deletes_their_discussion_and_goes_back_to_the_board(client):
    thread = ThreadFactory(title="Delete me")
    client.force_login(thread.author)

    response = client.post(f"/threads/{thread.pk}/delete/")

    assert response.url == "/programmes/prevention/boards/general/"
    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_authors_read_the_history_of_their_own_edited_comment(client, resident, settings):
    comment = CommentFactory(author=resident, body="First words")
    services.comment_edit(actor=resident, comment=comment, body="Better words")
    client.force_login(resident)

    page = client.get(comment.thread.get_absolute_url()).content.decode()
    history = client.get(f"/comments/{comment.pk}/history/")

    assert f'href="/comments/{comment.pk}/history/"' in page
    assert history.status_code == 200 and "First words" in history.content.decode()
    client.force_login(UserFactory())
    assert client.get(f"/comments/{comment.pk}/history/").status_code == 404


@pytest.mark.parametrize("edits", [1, 6])
def test_the_history_page_costs_the_same_however_many_edits(client, django_assert_num_queries, edits):
    thread = ThreadFactory(title="Version 0")
    for number in range(1, edits + 1):
        authoring.thread_edit(actor=thread.author, thread=thread, title=f"Version {number}", body=f"Text {number}")
    client.force_login(thread.author)
    client.get(f"/threads/{thread.pk}/history/")

    # session, user, groups, the thread (with board, programme and author), its tags, the revisions
    with django_assert_num_queries(6):
        response = client.get(f"/threads/{thread.pk}/history/")

    assert response.content.decode().count('class="nhsuk-card"') == edits
