"""Writing notifications: who is told, once, in which category, and what it costs the request."""

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import notifications
from accounts.models import EmailStatus, Notification, NotificationFanOut, NotificationPreference, User
from accounts.notifications import Category, Event, Frequency, tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


EVERYONE = "tests.accounts.notifications.test_services.everyone"


def everyone():
    """A fan-out audience for these tests: every person."""
    return User.objects.all()


def event(key="test:1", actor=None, **extra):
    return Event(key=key, url="/threads/1/", actor=actor, **extra)


def unread(user):
    return User.objects.values_list("unread_notification_count", flat=True).get(pk=user.pk)


def test_notification_create_writes_the_row_bumps_the_count_and_emails_on_commit(
    resident, django_capture_on_commit_callbacks
):
    actor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        row = notifications.notification_create(
            recipient=resident,
            category=Category.MODERATION,
            title="A moderator approved your post",
            event=event(actor=actor),
        )

    row.refresh_from_db()
    assert row.recipient == resident and row.actor == actor
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 1
    assert unread(resident) == 1
    [message] = mail.outbox
    assert message.to == [resident.email]
    assert message.subject == "Talk Health: A moderator approved your post"


def test_nobody_is_notified_of_their_own_action(resident):
    assert (
        notifications.notification_create(
            recipient=resident, category=Category.REPLY, title="x", event=event(actor=resident)
        )
        is None
    )
    assert not Notification.objects.exists()


def test_one_notification_per_person_per_event_the_first_listed_wins(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notifications.notifications_create(
            event=event(),
            recipients=[
                (resident, Category.REPLY, "replied to you"),
                (resident.pk, Category.MENTION, "mentioned you"),
                (resident, Category.FOLLOWED_THREAD, "commented"),
            ],
        )
        again = notifications.notification_create(
            recipient=resident, category=Category.MENTION, title="again", event=event()
        )

    assert [row.category for row in rows] == [Category.REPLY]
    assert again is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert unread(resident) == 1


def test_unverified_people_get_the_inbox_row_but_no_email(unverified, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = notifications.notification_create(
            recipient=unverified, category=Category.REPLY, title="x", event=event()
        )

    assert Notification.objects.get(pk=row.pk).email_status == EmailStatus.SKIPPED
    assert mail.outbox == []
    assert unread(unverified) == 1


def test_inactive_people_are_not_notified(db):
    gone = UserFactory(is_active=False)
    assert notifications.notification_create(recipient=gone, category=Category.REPLY, title="x", event=event()) is None


@pytest.mark.parametrize(
    "category, status",
    [
        (Category.REPLY, EmailStatus.SENT),
        (Category.MENTION, EmailStatus.SENT),
        (Category.FOLLOWED_THREAD, EmailStatus.DIGEST),
        (Category.PROGRAMME_UPDATE, EmailStatus.DIGEST),
        (Category.OFFICIAL_RESPONSE, EmailStatus.SENT),
        (Category.MODERATION, EmailStatus.SENT),
        (Category.APPEAL, EmailStatus.SENT),
    ],
)
def test_default_frequencies_replies_and_mentions_at_once_followed_content_daily(
    resident, category, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = notifications.notification_create(recipient=resident, category=category, title="x", event=event())

    assert Notification.objects.get(pk=row.pk).email_status == status


@pytest.mark.parametrize(
    "frequency, status",
    [
        (Frequency.IMMEDIATELY, EmailStatus.SENT),
        (Frequency.DAILY, EmailStatus.DIGEST),
        (Frequency.WEEKLY, EmailStatus.DIGEST),
        (Frequency.OFF, EmailStatus.SKIPPED),
    ],
)
def test_the_chosen_frequency_decides_the_email(resident, frequency, status, django_capture_on_commit_callbacks):
    notifications.notification_preferences_set(actor=resident, user=resident, frequencies={Category.REPLY: frequency})
    with django_capture_on_commit_callbacks(execute=True):
        row = notifications.notification_create(recipient=resident, category=Category.REPLY, title="x", event=event())

    assert Notification.objects.get(pk=row.pk).email_status == status
    assert len(mail.outbox) == (1 if frequency == Frequency.IMMEDIATELY else 0)


def test_a_handful_of_recipients_costs_a_fixed_number_of_queries(django_assert_num_queries):
    people = [UserFactory() for _ in range(5)]
    recipients = [(person, Category.MENTION, "mentioned you") for person in people]
    # one INSERT … SELECT (the people not yet notified, with their preferences) and their unread
    # counts; no savepoint inside a caller's transaction (the test's here, the post's in the forums)
    with django_assert_num_queries(2):
        notifications.notifications_create(event=event(), recipients=recipients)


def audience_of(size):
    """An actor and `size` people: the first wants programme updates at once, the second was
    already told of the event, more specifically."""
    actor, people = UserFactory(), [UserFactory() for _ in range(size)]
    NotificationPreference.objects.create(user=people[0], category=Category.PROGRAMME_UPDATE, frequency="immediately")
    notifications.notification_create(
        recipient=people[1], category=Category.REPLY, title="more specific", event=event()
    )
    return actor, people


def test_fan_out_writes_rows_in_chunks_skipping_the_actor_and_people_already_told(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 5  # six still to tell: more than that, so a task writes them
    settings.NOTIFICATIONS_FAN_OUT_CHUNK = 3
    settings.NOTIFICATIONS_EMAIL_BATCH = 2
    actor, everyone = audience_of(7)

    with django_capture_on_commit_callbacks(execute=True):
        fan_out = notifications.notifications_fan_out(
            event=event(actor=actor),
            category=Category.PROGRAMME_UPDATE,
            title="An update",
            audience=EVERYONE,
            audience_kwargs={},
        )

    fan_out.refresh_from_db()
    assert fan_out.completed_at is not None
    rows = Notification.objects.filter(event_key="test:1")
    assert rows.count() == 7
    assert rows.filter(recipient=actor).count() == 0
    assert rows.get(recipient=everyone[1]).category == Category.REPLY
    assert rows.get(recipient=everyone[0]).email_status == EmailStatus.SENT
    assert rows.filter(category=Category.PROGRAMME_UPDATE, email_status=EmailStatus.DIGEST).count() == 5
    assert [unread(person) for person in everyone] == [1] * 7


def test_a_fan_out_run_again_after_it_finished_writes_nothing_more(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 0
    [UserFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        fan_out = notifications.notifications_fan_out(
            event=event(), category=Category.PROGRAMME_UPDATE, title="x", audience=EVERYONE
        )
    from accounts.notifications.services import fan_out_run

    NotificationFanOut.objects.filter(pk=fan_out.pk).update(completed_at=None, cursor=0)
    assert fan_out_run(fan_out_id=fan_out.pk) == 0
    assert Notification.objects.count() == 3


def test_a_small_audience_is_written_in_the_callers_transaction_with_no_task(
    settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 4
    actor, everyone_else = audience_of(4)

    # one INSERT … SELECT of the audience not yet told, with their preferences, and their unread
    # counts: no fan-out record, and only the one email is queued on commit
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(2):
        fan_out = notifications.notifications_fan_out(
            event=event(actor=actor), category=Category.PROGRAMME_UPDATE, title="An update", audience=EVERYONE
        )

    assert fan_out is None and not NotificationFanOut.objects.exists()
    rows = Notification.objects.filter(event_key="test:1", category=Category.PROGRAMME_UPDATE)
    told = [everyone_else[0], *everyone_else[2:]]
    assert sorted(rows.values_list("recipient_id", flat=True)) == [person.pk for person in told]
    assert [unread(person) for person in (actor, *everyone_else)] == [0, 1, 1, 1, 1]
    assert len(callbacks) == 1
    callbacks[0]()
    assert rows.get(recipient=everyone_else[0]).email_status == EmailStatus.SENT
    assert [message.to for message in mail.outbox] == [[everyone_else[0].email]]


def test_an_audience_bigger_than_the_inline_limit_has_its_first_people_told_at_once_and_the_rest_by_a_task(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 2
    people = [UserFactory() for _ in range(3)]

    with django_capture_on_commit_callbacks() as callbacks:
        fan_out = notifications.notifications_fan_out(
            event=event(), category=Category.PROGRAMME_UPDATE, title="x", audience=EVERYONE
        )
        in_the_request = sorted(Notification.objects.values_list("recipient_id", flat=True))

    assert in_the_request == [people[0].pk, people[1].pk]
    assert fan_out.completed_at is None and fan_out.cursor == people[1].pk
    assert len(callbacks) == 1  # the task; a digest category queues no email
    callbacks[0]()
    fan_out.refresh_from_db()
    assert fan_out.completed_at is not None
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == [person.pk for person in people]
    assert [unread(person) for person in people] == [1, 1, 1]


def test_an_audience_of_exactly_the_inline_limit_leaves_its_task_nothing_to_write(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 2
    people = [UserFactory() for _ in range(2)]

    with django_capture_on_commit_callbacks(execute=True):
        fan_out = notifications.notifications_fan_out(
            event=event(), category=Category.PROGRAMME_UPDATE, title="x", audience=EVERYONE
        )

    fan_out.refresh_from_db()
    assert fan_out.completed_at is not None
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == [person.pk for person in people]
    assert [unread(person) for person in people] == [1, 1]


@pytest.mark.parametrize("inline", [10, 1], ids=["all-in-the-request", "audience-by-a-task"])
def test_the_people_named_first_hear_in_their_own_words_and_the_audience_skips_them(
    settings, inline, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = inline
    actor, named, others = UserFactory(), UserFactory(), [UserFactory() for _ in range(3)]

    with django_capture_on_commit_callbacks() as callbacks:
        fan_out = notifications.notifications_fan_out(
            event=event(actor=actor),
            category=Category.FOLLOWED_THREAD,
            title="someone commented",
            audience=EVERYONE,
            first=[(named, Category.REPLY, "someone replied to you"), (actor, Category.MENTION, "yourself")],
        )
        in_the_request = list(Notification.objects.values_list("recipient_id", "title"))
    for callback in callbacks:
        callback()

    if inline == 10:
        assert fan_out is None and len(in_the_request) == 4
    else:  # the person named, and the first of the audience
        assert fan_out is not None
        assert sorted(in_the_request) == [(named.pk, "someone replied to you"), (others[0].pk, "someone commented")]
    rows = dict(Notification.objects.values_list("recipient_id", "title"))
    assert rows == {named.pk: "someone replied to you", **{person.pk: "someone commented" for person in others}}
    assert [unread(person) for person in (actor, named, *others)] == [0, 1, 1, 1, 1]


def test_counts_gathered_together_rise_in_one_statement_and_a_failed_inner_part_adds_none():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    people = [UserFactory() for _ in range(3)]
    with CaptureQueriesContext(connection) as queries, notifications.unread_counts_together():
        notifications.notifications_create(
            event=event("test:a"), recipients=[(person, Category.MODERATION, "a") for person in people]
        )
        notifications.notification_create(
            recipient=people[0], category=Category.MODERATION, title="b", event=event("test:b")
        )
        with notifications.unread_counts_together():  # an inner service that ends normally hands its counts out
            notifications.notification_create(
                recipient=people[2], category=Category.MODERATION, title="c", event=event("test:c")
            )
        with pytest.raises(ValidationError), transaction.atomic(), notifications.unread_counts_together():
            notifications.notification_create(
                recipient=people[1], category=Category.MODERATION, title="d", event=event("test:d")
            )
            raise ValidationError("Another moderator got there first.")
        assert [unread(person) for person in people] == [0, 0, 0], "raised only at the end"

    raised = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('UPDATE "accounts_user"')]
    assert len(raised) == 1
    assert [unread(person) for person in people] == [2, 1, 2]
    assert not Notification.objects.filter(event_key="test:d").exists()


def test_an_empty_audience_records_nothing(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 0
    actor = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        fan_out = notifications.notifications_fan_out(
            event=event(actor=actor), category=Category.PROGRAMME_UPDATE, title="x", audience=EVERYONE
        )
    assert fan_out is None and callbacks == []
    assert not NotificationFanOut.objects.exists() and not Notification.objects.exists()


def test_fan_out_with_an_unknown_audience_is_refused_at_once():
    with pytest.raises(ImportError):
        notifications.notifications_fan_out(
            event=event(), category=Category.PROGRAMME_UPDATE, title="x", audience="nowhere.audience"
        )


def test_mark_read_counts_down_once(resident):
    row = notifications.notification_create(recipient=resident, category=Category.REPLY, title="x", event=event())

    assert notifications.notification_mark_read(actor=resident, notification=row) is True
    assert notifications.notification_mark_read(actor=resident, notification=row) is False
    assert unread(resident) == 0
    assert Notification.objects.get(pk=row.pk).read_at is not None


def test_nobody_marks_someone_elses_notification(resident):
    row = notifications.notification_create(recipient=resident, category=Category.REPLY, title="x", event=event())

    with pytest.raises(PermissionDenied):
        notifications.notification_mark_read(actor=UserFactory(), notification=row)


def test_mark_all_read(resident):
    for n in range(3):
        notifications.notification_create(
            recipient=resident, category=Category.REPLY, title="x", event=event(f"k:{n}")
        )
    other = UserFactory()
    notifications.notification_create(recipient=other, category=Category.REPLY, title="x", event=event())

    assert notifications.notifications_mark_all_read(actor=resident) == 3
    assert unread(resident) == 0 and unread(other) == 1
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()


def test_only_the_person_sets_their_preferences(resident):
    with pytest.raises(PermissionDenied):
        notifications.notification_preferences_set(
            actor=UserFactory(), user=resident, frequencies={Category.REPLY: Frequency.OFF}
        )


def test_turning_a_category_off_drops_its_waiting_emails(resident):
    row = notifications.notification_create(
        recipient=resident, category=Category.FOLLOWED_THREAD, title="x", event=event()
    )
    assert row.email_status == EmailStatus.DIGEST

    notifications.notification_preferences_set(
        actor=resident, user=resident, frequencies={Category.FOLLOWED_THREAD: Frequency.OFF}
    )

    assert Notification.objects.get(pk=row.pk).email_status == EmailStatus.SKIPPED


def test_unsubscribe_turns_off_the_tokens_categories_only(resident):
    user, categories = notifications.notification_unsubscribe(token=tokens.make(resident.pk, [Category.MENTION]))

    assert user == resident and categories == [Category.MENTION]
    assert dict(NotificationPreference.objects.filter(user=resident).values_list("category", "frequency")) == {
        Category.MENTION: Frequency.OFF
    }


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps({"u": 1, "c": ["reply"]}, salt="another-salt"),
        signing.dumps({"u": 1, "c": ["not-a-category"]}, salt=tokens.SALT),
        signing.dumps({"c": ["reply"]}, salt=tokens.SALT),
    ],
)
def test_bad_unsubscribe_tokens_are_refused(resident, token):
    with pytest.raises(signing.BadSignature):
        notifications.notification_unsubscribe(token=token)
    assert not NotificationPreference.objects.exists()


def test_a_token_with_one_character_changed_is_refused(resident):
    token = tokens.make(resident.pk, [Category.REPLY])
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]

    with pytest.raises(signing.BadSignature):
        notifications.notification_unsubscribe(token=tampered)


def test_a_notification_pays_for_no_index_that_another_already_covers(resident):
    """Notifications are the most written rows: each index is a write per row. Every lookup by
    recipient is served by an index that starts with it, so none is on the recipient alone (bar the
    partial one for digests), and closing an account still takes its inbox with it."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Notification._meta.db_table)
    indexed = {name: info["columns"] for name, info in found.items() if info["index"] or info["unique"]}
    by_recipient = {name for name, columns in indexed.items() if columns[:1] == ["recipient_id"]}
    assert by_recipient == {
        "accounts_notification_inbox", "accounts_notification_once_per_event", "accounts_notification_digest"
    }  # fmt: skip (the digest index is partial: only rows waiting for a digest)

    notifications.notification_create(recipient=resident, category=Category.MODERATION, title="Hello", event=event())
    User.objects.filter(pk=resident.pk).delete()
    assert not Notification.objects.exists()
