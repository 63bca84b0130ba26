"""Deleting an account: personal data gone from every table at once, posts kept or erased as chosen,
replies keep their place, and moderators keep a record without the personal data."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import AccountDeletion, Notification, User
from forums.models import Comment, CommentLike, Thread, ThreadLike
from tests.accounts.conftest import EMAIL, NAME
from tests.factories import UserFactory
from tests.textscan import found_anywhere as _found_anywhere

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-long-password"


def _sessions_of(user_id: int) -> int:
    return sum(str(s.get_decoded().get("_auth_user_id")) == str(user_id) for s in Session.objects.all())


def _delete(client, person, posts: str, django_capture_on_commit_callbacks):
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:delete"), {"posts": posts, "password": PASSWORD})


@pytest.mark.parametrize("posts", ["keep", "erase"])
def test_deleting_an_account_leaves_its_email_and_name_in_no_table(
    client, active_person, posts, django_capture_on_commit_callbacks
):
    person, _ = active_person
    elsewhere = Client()
    elsewhere.force_login(person)
    assert set(_found_anywhere(EMAIL, NAME)) >= {"accounts_user.email", "accounts_user.display_name"}
    assert _sessions_of(person.pk) == 1

    response = _delete(client, person, posts, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url == reverse("home")
    assert _found_anywhere(EMAIL, NAME) == []
    assert _found_anywhere(EMAIL.split("@")[0], "farthingale") == []
    assert _sessions_of(person.pk) == 0
    person.refresh_from_db()
    assert (person.display_name, person.borough, person.is_active, person.has_usable_password()) == (
        "Deleted user", "", False, False
    )
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not person.groups.exists()
    for related in ("notifications", "notification_preferences", "thread_follows", "programme_follows", "data_exports"):
        assert not getattr(person, related).exists(), related
    assert not ThreadLike.objects.filter(user=person).exists() and not CommentLike.objects.filter(user=person).exists()


def test_the_person_is_signed_out_and_cannot_sign_in_again(client, active_person, django_capture_on_commit_callbacks):
    person, _ = active_person
    _delete(client, person, "keep", django_capture_on_commit_callbacks)
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert "_auth_user_id" not in client.session and response.status_code == 200


def test_kept_posts_stay_and_say_deleted_user(client, active_person, django_capture_on_commit_callbacks):
    person, things = active_person
    _delete(client, person, "keep", django_capture_on_commit_callbacks)
    content = client.get(things["discussed"].get_absolute_url()).content.decode()
    assert "Late letters" in content and "Mine came after the appointment." in content
    assert "Glad it is not only me." in content
    assert "Deleted user" in content
    assert client.get(things["lonely"].get_absolute_url()).status_code == 200
    assert AccountDeletion.objects.get().posts == AccountDeletion.Posts.KEPT


def test_erased_posts_keep_their_place_so_replies_keep_context(client, active_person, django_capture_on_commit_callbacks):
    person, things = active_person
    discussed, own_reply = things["discussed"], things["own_reply"]
    before = Thread.objects.get(pk=discussed.pk)
    _delete(client, person, "erase", django_capture_on_commit_callbacks)

    own_reply.refresh_from_db()
    assert (own_reply.is_deleted, own_reply.body, own_reply.body_html) == (True, "", "")
    assert not own_reply.revisions.exists()
    assert Comment.objects.filter(pk=things["reply_to_them"].pk, parent=own_reply).exists()
    discussed.refresh_from_db()
    assert (discussed.title, discussed.body, discussed.is_locked) == ("Deleted discussion", "", True)
    assert discussed.reply_count == before.reply_count - 1
    assert not Thread.objects.filter(pk=things["lonely"].pk).exists(), "no replies from others: nothing to keep"

    content = client.get(discussed.get_absolute_url(), follow=True).content.decode()
    assert "Same for me, sadly." in content and "You are welcome." in content
    assert "Glad it is not" not in content and "Mine came after" not in content
    assert AccountDeletion.objects.get().posts == AccountDeletion.Posts.ERASED


def test_counts_fall_with_the_likes_that_went(client, active_person, django_capture_on_commit_callbacks):
    person, things = active_person
    elsewhere, others_reply = things["elsewhere"], things["others_reply"]
    assert (elsewhere.__class__.objects.get(pk=elsewhere.pk).like_count, Comment.objects.get(pk=others_reply.pk).like_count) == (1, 1)
    _delete(client, person, "keep", django_capture_on_commit_callbacks)
    assert Thread.objects.get(pk=elsewhere.pk).like_count == 0
    assert Comment.objects.get(pk=others_reply.pk).like_count == 0


def test_event_places_are_given_back_and_poll_results_stand(client, active_person, django_capture_on_commit_callbacks):
    person, things = active_person
    event, poll = things["event"], things["poll"]
    _delete(client, person, "keep", django_capture_on_commit_callbacks)
    event.refresh_from_db()
    assert event.attendee_count == 0 and not event.attendances.exists()
    (ballot,) = poll.ballots.all()
    assert ballot.borough == "" and ballot.votes.get().choice.text == "Yes"


def test_what_others_were_told_loses_the_name(client, active_person, django_capture_on_commit_callbacks):
    person, things = active_person
    told = Notification.objects.filter(recipient=things["other"], actor=person)
    assert told.exists() and NAME in told.first().title
    _delete(client, person, "keep", django_capture_on_commit_callbacks)
    titles = list(Notification.objects.filter(recipient=things["other"]).values_list("title", flat=True))
    assert titles and all(NAME not in title for title in titles)
    assert any("Deleted user" in title for title in titles)


def test_erasing_posts_also_takes_the_notifications_that_quote_them(
    client, active_person, django_capture_on_commit_callbacks
):
    person, things = active_person
    other = things["other"]
    unread_before = User.objects.get(pk=other.pk).unread_notification_count
    quoting = Notification.objects.filter(recipient=other, actor=person, read_at=None).count()
    assert quoting
    _delete(client, person, "erase", django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(recipient=other, title__contains="Deleted user").exists()
    assert User.objects.get(pk=other.pk).unread_notification_count == unread_before - quoting


def test_a_wrong_password_deletes_nothing(client, active_person):
    person, _ = active_person
    client.force_login(person)
    response = client.post(reverse("accounts:delete"), {"posts": "keep", "password": "not-the-password"})
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    person.refresh_from_db()
    assert person.deleted_at is None and person.email == EMAIL


def test_the_choice_about_posts_is_required(client, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert "Choose what should happen to your discussions and comments" in response.content.decode()


def test_the_page_needs_sign_in(client):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_nobody_can_delete_someone_else(resident):
    with pytest.raises(PermissionDenied):
        services.account_delete(actor=UserFactory(), user=resident, erase_posts=False)


def test_moderators_see_that_a_deletion_happened_and_nothing_else(
    client, active_person, moderator, django_capture_on_commit_callbacks
):
    person, _ = active_person
    _delete(client, person, "erase", django_capture_on_commit_callbacks)
    record = AccountDeletion.objects.get()
    assert (record.account_id, record.reason) == (person.pk, AccountDeletion.Reason.REQUESTED)
    client.force_login(moderator)
    content = client.get(reverse("moderation:deletions")).content.decode()
    assert "Deleted by its owner" in content and "Posts erased" in content
    client.force_login(UserFactory())
    assert client.get(reverse("moderation:deletions")).status_code == 404


def test_deleted_accounts_can_share_the_name_and_nobody_can_take_it(django_capture_on_commit_callbacks):
    for person in (UserFactory(), UserFactory()):
        services.account_delete(actor=person, user=person, erase_posts=False)
    assert User.objects.filter(display_name="Deleted user").count() == 2
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "display_name": "Deleted User", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "is what deleted accounts are called" in response.content.decode()


def test_a_deleted_person_has_no_public_profile(client, resident):
    services.account_delete(actor=resident, user=resident, erase_posts=False)
    assert client.get(reverse("forums:person", args=[resident.pk])).status_code == 404


def test_erased_words_cannot_be_found_by_search(client, active_person, django_capture_on_commit_callbacks):
    person, _ = active_person
    _delete(client, person, "erase", django_capture_on_commit_callbacks)
    client.force_login(UserFactory())
    for words in ("tip", "ramps", "appointment", "letters"):
        assert client.get(reverse("search:search"), {"q": words}).context["results"].total == 0, words
