"""A moderator's powers reach only their programmes, and every moderator act goes through the
moderation services: the residents' edit, delete and history pages serve only authors."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from forums import selectors
from forums.models import Comment, Thread, Visibility
from forums.moderation import services as moderation
from forums.moderation.models import ModerationAction, ModeratorScope
from programmes.models import Programme
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped():
    """A moderator who works in cancer only."""
    moderator = ModeratorFactory()
    ModeratorScope.objects.create(moderator=moderator, programme=Programme.objects.get(slug="cancer"))
    return moderator


def _held(model, obj):
    model.objects.filter(pk=obj.pk).update(visibility=Visibility.HELD)
    return obj


def test_a_scoped_moderator_sees_held_threads_only_in_their_programme(scoped):
    inside = _held(Thread, ThreadFactory(board=general_board("cancer")))
    outside = _held(Thread, ThreadFactory(board=general_board("prevention")))

    visible = set(Thread.objects.visible_to(scoped).values_list("pk", flat=True))

    assert inside.pk in visible and outside.pk not in visible
    assert {inside.pk, outside.pk} <= set(Thread.objects.visible_to(ModeratorFactory()).values_list("pk", flat=True))


def test_a_scoped_moderator_sees_held_comments_only_in_their_programme(scoped):
    inside = _held(Comment, CommentFactory(thread=ThreadFactory(board=general_board("cancer"))))
    outside = _held(Comment, CommentFactory(thread=ThreadFactory(board=general_board("prevention"))))

    visible = set(Comment.objects.visible_to(scoped).values_list("pk", flat=True))

    assert inside.pk in visible and outside.pk not in visible
    with pytest.raises(Http404):
        selectors.comment_for_action(pk=outside.pk, user=scoped)
    assert selectors.comment_for_action(pk=inside.pk, user=scoped) == inside


def test_a_scoped_moderator_cannot_pin_lock_or_edit_elsewhere(scoped):
    thread = ThreadFactory(board=general_board("prevention"))
    comment = CommentFactory(thread=thread)

    with pytest.raises(PermissionDenied):
        moderation.thread_pin_set(actor=scoped, thread=thread, pinned=True, reason="Useful")
    with pytest.raises(PermissionDenied):
        moderation.thread_lock_set(actor=scoped, thread=thread, locked=True, reason="Heated")
    with pytest.raises(PermissionDenied):
        moderation.content_edit(actor=scoped, content=comment, body="[removed]", reason="Rule 4")

    thread.refresh_from_db()
    assert not thread.is_pinned and not thread.is_locked
    assert not ModerationAction.objects.exists()


def test_a_scoped_moderator_is_not_offered_moderation_outside_their_programme(client, scoped):
    outside = ThreadFactory(board=general_board("prevention"))
    inside = ThreadFactory(board=general_board("cancer"))
    client.force_login(scoped)

    assert reverse("moderation:thread", args=[outside.pk]) not in client.get(outside.get_absolute_url()).content.decode()
    assert reverse("moderation:thread", args=[inside.pk]) in client.get(inside.get_absolute_url()).content.decode()
    assert client.get(reverse("moderation:thread", args=[outside.pk])).status_code == 404


@pytest.mark.parametrize("page", ["forums:comment_edit", "forums:comment_delete"])
@pytest.mark.parametrize("role", ["moderator", "superuser", "staff"])
def test_the_residents_edit_and_delete_pages_refuse_everyone_but_the_author(client, page, role):
    comment = CommentFactory(body="My own words")
    person = UserFactory(is_superuser=True) if role == "superuser" else UserFactory(roles=[role])
    client.force_login(person)

    assert client.get(reverse(page, args=[comment.pk])).status_code == 403
    assert client.post(reverse(page, args=[comment.pk]), {"body": "Changed"}).status_code == 403

    comment.refresh_from_db()
    assert comment.body == "My own words" and not comment.is_deleted


def test_a_moderator_reads_earlier_versions_on_the_moderation_page(client, moderator):
    from forums import services

    comment = CommentFactory(body="The first version")
    services.comment_edit(actor=comment.author, comment=comment, body="The second version")
    client.force_login(moderator)

    page = client.post(reverse("moderation:comment", args=[comment.pk]), follow=True).content.decode()

    assert "The first version" in page and "Earlier versions (1)" in page


def test_the_item_page_shows_only_decisions_from_programmes_in_scope(client, scoped):
    author = UserFactory()
    elsewhere = CommentFactory(author=author, thread=ThreadFactory(board=general_board("prevention")))
    here = CommentFactory(author=author, thread=ThreadFactory(board=general_board("cancer")))
    moderation.content_edit(actor=ModeratorFactory(), content=elsewhere, body="[edited]", reason="Secret elsewhere")
    moderation.content_edit(actor=ModeratorFactory(), content=here, body="[edited too]", reason="Seen here")
    client.force_login(scoped)

    page = client.post(reverse("moderation:comment", args=[here.pk]), follow=True).content.decode()

    assert "Seen here" in page
    assert "Secret elsewhere" not in page
