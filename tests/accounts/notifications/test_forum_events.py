"""Discussion events: replies, mentions and followed discussions, one notification each, most specific."""

import pytest
from django.core import mail

from accounts.models import EmailStatus, Notification, NotificationFanOut
from accounts.notifications import Category
from forums import notifications as forum_notifications
from forums import services
from forums.models import Comment, Visibility
from talkhealth import outbox
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def told(user):
    return list(Notification.objects.filter(recipient=user).values_list("category", "title"))


@pytest.fixture
def thread(resident, board):
    return ThreadFactory(author=resident, title="Waiting times at my GP")


def post(captured, **kwargs):
    with captured(execute=True):
        return services.comment_post(**kwargs)


def test_a_comment_on_a_discussion_tells_its_author_and_emails_a_link_to_the_comment(
    thread, resident, settings, django_capture_on_commit_callbacks
):
    sam = UserFactory(display_name="Sam Lee")
    comment = post(django_capture_on_commit_callbacks, actor=sam, thread=thread, body="Mine took **two** weeks.")

    assert told(resident) == [(Category.REPLY, "Sam Lee replied to your discussion “Waiting times at my GP”")]
    row = Notification.objects.get(recipient=resident)
    assert row.url == f"/comments/{comment.pk}/"
    assert row.excerpt == "Mine took two weeks."
    assert row.section == thread.board.programme.short_name
    assert row.topic == "Waiting times at my GP"
    assert row.email_status == EmailStatus.SENT
    [message] = mail.outbox
    assert message.to == [resident.email]
    assert f"{settings.SITE_URL}/comments/{comment.pk}/" in message.body
    assert told(sam) == []


def test_a_reply_tells_the_author_of_the_comment_and_followers_hear_of_it_in_their_digest(
    thread, resident, django_capture_on_commit_callbacks
):
    alex, sam = UserFactory(display_name="Alex Kim"), UserFactory(display_name="Sam Lee")
    parent = CommentFactory(thread=thread, author=alex)
    Notification.objects.all().delete()

    post(django_capture_on_commit_callbacks, actor=sam, thread=thread, parent=parent, body="I agree")

    assert told(alex) == [(Category.REPLY, "Sam Lee replied to your comment in “Waiting times at my GP”")]
    assert told(resident) == [(Category.FOLLOWED_THREAD, "Sam Lee commented in “Waiting times at my GP”")]
    assert Notification.objects.get(recipient=resident).email_status == EmailStatus.DIGEST
    assert told(sam) == []


@pytest.mark.parametrize("inline", [5, 1], ids=["written-in-the-request", "written-by-the-task"])
def test_every_follower_hears_once_whether_the_request_or_a_task_writes_it(
    thread, resident, settings, inline, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = inline
    followers = [UserFactory() for _ in range(3)]
    for person in followers:
        services.thread_follow_set(actor=person, thread=thread, follow=True)
    sam = UserFactory(display_name="Sam Lee")

    post(django_capture_on_commit_callbacks, actor=sam, thread=thread, body="Same here")

    assert [told(person) for person in followers] == [
        [(Category.FOLLOWED_THREAD, "Sam Lee commented in “Waiting times at my GP”")]
    ] * 3
    assert told(resident)[0][0] == Category.REPLY and len(told(resident)) == 1
    assert NotificationFanOut.objects.filter(completed_at__isnull=False).count() == (inline < 3)


def test_below_the_third_level_the_person_answered_is_told(thread, django_capture_on_commit_callbacks):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    one = CommentFactory(thread=thread, author=first)
    two = CommentFactory(parent=one, author=second)
    three = CommentFactory(parent=two, author=third)
    Notification.objects.all().delete()

    answer = post(django_capture_on_commit_callbacks, actor=first, thread=thread, parent=three, body="Thanks")

    assert answer.in_reply_to_id == third.pk
    assert told(third)[0][0] == Category.REPLY
    assert told(second)[0][0] == Category.FOLLOWED_THREAD


def test_a_reply_that_also_mentions_you_in_a_discussion_you_follow_is_one_notification(
    thread, resident, django_capture_on_commit_callbacks
):
    sam = UserFactory(display_name="Sam Lee")
    post(
        django_capture_on_commit_callbacks,
        actor=sam,
        thread=thread,
        body=f"@{resident.display_name} you asked about this",
    )

    assert [category for category, _ in told(resident)] == [Category.REPLY]
    assert len(mail.outbox) == 1


def test_a_mention_tells_someone_who_does_not_follow_the_discussion(thread, django_capture_on_commit_callbacks):
    jo = UserFactory(display_name="Jo Bloggs")
    post(django_capture_on_commit_callbacks, actor=UserFactory(), thread=thread, body="What do you think, @jo bloggs?")

    assert told(jo) == [
        (Category.MENTION, f"{Comment.objects.get().author.display_name} mentioned you in “Waiting times at my GP”")
    ]


def test_mentioning_yourself_does_nothing(thread, django_capture_on_commit_callbacks):
    jo = UserFactory(display_name="Jo Bloggs")
    post(django_capture_on_commit_callbacks, actor=jo, thread=thread, body="I, @Jo Bloggs, think so")

    assert told(jo) == []


def test_nobody_hears_about_their_own_comment_in_their_own_discussion(
    thread, resident, django_capture_on_commit_callbacks
):
    post(django_capture_on_commit_callbacks, actor=resident, thread=thread, body="An update from me")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_people_who_unfollowed_are_not_told(thread, resident, django_capture_on_commit_callbacks):
    follower = UserFactory()
    CommentFactory(thread=thread, author=follower)
    services.thread_follow_set(actor=follower, thread=thread, follow=False)
    Notification.objects.all().delete()

    post(django_capture_on_commit_callbacks, actor=UserFactory(), thread=thread, body="hello")

    assert told(follower) == []


def test_a_held_comment_tells_nobody_until_it_is_published(thread, resident, django_capture_on_commit_callbacks):
    comment = CommentFactory(thread=thread, author=UserFactory())
    Notification.objects.all().delete()
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HELD)
    comment.visibility = Visibility.HELD

    forum_notifications.comment_posted(comment=comment)
    assert not Notification.objects.exists()

    comment.visibility = Visibility.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        forum_notifications.comment_posted(comment=comment)
    assert told(resident)[0][0] == Category.REPLY


def test_an_official_response_is_told_as_one(thread, resident, django_capture_on_commit_callbacks):
    follower = UserFactory()
    CommentFactory(thread=thread, author=follower)
    Notification.objects.all().delete()
    comment = CommentFactory(thread=thread, author=UserFactory())
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        forum_notifications.comment_posted(comment=comment, official=True)

    assert told(resident) == [
        (
            Category.OFFICIAL_RESPONSE,
            "The Healthy London Partnership replied to your discussion “Waiting times at my GP”",
        )
    ]
    assert told(follower)[0][0] == Category.OFFICIAL_RESPONSE


def test_a_new_discussion_tells_the_people_it_mentions(board, django_capture_on_commit_callbacks):
    jo = UserFactory(display_name="Jo Bloggs")
    author = UserFactory(display_name="Sam Lee")
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_create(actor=author, board=board, title="Ideas", body="@Jo Bloggs had a good one")

    assert told(jo) == [(Category.MENTION, "Sam Lee mentioned you in a new discussion, “Ideas”")]


def test_an_edit_that_adds_a_mention_tells_only_the_newly_mentioned(
    thread, resident, django_capture_on_commit_callbacks
):
    jo = UserFactory(display_name="Jo Bloggs")
    author = UserFactory()
    comment = post(django_capture_on_commit_callbacks, actor=author, thread=thread, body="First version")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(actor=author, comment=comment, body="First version, thanks @Jo Bloggs")
        services.comment_edit(actor=author, comment=comment, body="First version, thanks @Jo Bloggs!")

    assert [category for category, _ in told(jo)] == [Category.MENTION]
    assert [category for category, _ in told(resident)] == [Category.REPLY]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_at_once_in_discussions_with_followers_in_common_all_land(settings):
    """Two people each started a discussion and follow the other's, with ten followers in common.
    Replies to both at once make each reply's transaction update the unread counts of people the
    other's is updating (the one answered in one discussion follows the other). Every count goes up
    in one statement that locks in id order, so the replies wait for each other and never deadlock."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite runs one writer at a time")
    outbox.tasks_load()  # as a web process does before it starts serving (talkhealth/wsgi.py)
    first_author, second_author = UserFactory(), UserFactory()
    first, second = ThreadFactory(author=first_author), ThreadFactory(author=second_author)
    common = [UserFactory() for _ in range(10)]
    follows = [(first_author, second), (second_author, first)] + [(p, t) for p in common for t in (first, second)]
    for person, thread in follows:
        services.thread_follow_set(actor=person, thread=thread, follow=True)
    rounds = 6
    posters = [UserFactory() for _ in range(2 * rounds)]
    failures = []

    def reply(actor, thread, start):
        try:
            start.wait()
            services.comment_post(actor=actor, thread=thread, body=f"My answer, from {actor.pk}.")
        except Exception as error:  # noqa: BLE001 (collected and shown below)
            failures.append(repr(error))
        finally:
            connections.close_all()

    for number in range(rounds):
        start = threading.Barrier(2)
        pair = [
            threading.Thread(target=reply, args=(posters[2 * number], first, start)),
            threading.Thread(target=reply, args=(posters[2 * number + 1], second, start)),
        ]
        for worker in pair:
            worker.start()
        for worker in pair:
            worker.join()

    assert failures == []
    assert Comment.objects.filter(thread__in=[first, second]).count() == 2 * rounds
    for person in [first_author, second_author, *common]:
        person.refresh_from_db()
        assert person.unread_notification_count == Notification.objects.filter(recipient=person).count() == 2 * rounds
