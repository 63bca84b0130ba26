"""Writes about notifications. Other apps' services call the creating ones inside their own
transaction, after their own permission checks: the rows are the outbox, and the email work is
queued on commit with ids only."""

import html
import re
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest, Replace
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.module_loading import import_string
from django.utils.text import Truncator

from accounts.models import (
    EmailFrequency,
    EmailStatus,
    Notification,
    NotificationCategory,
    NotificationFanOut,
    NotificationPreference,
    User,
)
from talkhealth.insert_select import SQL, insert_select, prepared

from . import preferences, queue, tokens

Category = NotificationCategory
Frequency = EmailFrequency

EXCERPT_CHARS = 280
TAKEN_DOWN_TOPIC = "(discussion taken down)"
UNSENT = (EmailStatus.PENDING, EmailStatus.DIGEST)
KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Event:
    """Something that happened, as every notification of it shows it.

    `key` names the event ("forums.comment:42", "programmes.update:7"): a person is notified of it
    at most once. `url` is site-relative and leads straight to the thing. `section` and `topic`
    (programme and thread, say) group digests; `actor` is never notified of their own action.
    """

    key: str
    url: str
    actor: Any = None
    excerpt: str = ""
    section: str = ""
    topic: str = ""
    topic_url: str = ""

    @property
    def actor_id(self) -> int | None:
        return getattr(self.actor, "pk", self.actor)


def excerpt(text_or_html: str, chars: int = EXCERPT_CHARS) -> str:
    """Plain text for a preview: tags dropped, entities decoded, white space collapsed, cut at a word."""
    plain = " ".join(html.unescape(strip_tags(text_or_html or "")).split())
    return Truncator(plain).chars(chars)


def _one_line(value: str, limit: int) -> str:
    return Truncator(re.sub(r"\s+", " ", value or "").strip()).chars(limit)


def _content(event: Event, category: str, title: str) -> dict:
    return {
        "category": Category(category).value,
        "event_key": event.key,
        "actor_id": event.actor_id,
        "title": _one_line(title, 255),
        "excerpt": event.excerpt,
        "url": event.url,
        "section": _one_line(event.section, 200),
        "topic": _one_line(event.topic, 200),
        "topic_url": event.topic_url,
    }


def _insert(
    users, event: Event, category: str, title: str, *, now, limit: int | None = None
) -> list[tuple[int, int, str]]:
    """Write `category` and `title`'s notification of the event for each of `users` (a queryset of
    people, already narrowed to those not yet told), in id order, at most `limit` of them, in one
    INSERT … SELECT: the rows, their email status (from each person's choice, or the category's
    default, and whether their address is confirmed) and when the email is due are worked out by
    the database, with no row built here. Nobody is emailed before confirming their address, nor in
    a category they turned off. Returns [(notification id, recipient id, email status)];
    the caller raises the unread counts and queues the emails."""
    quote = connection.ops.quote_name
    preference = NotificationPreference._meta
    frequency = f"COALESCE(chosen.{quote(preference.get_field('frequency').column)}, %s)"
    default = preferences.DEFAULTS[Category(category)]
    verified = 'source."email_verified"'
    immediately = SQL(f"{verified} AND {frequency} = %s", (default, Frequency.IMMEDIATELY.value))
    emailed = SQL(f"{verified} AND {frequency} <> %s", (default, Frequency.OFF.value))
    values = {
        **_content(event, category, title),
        "recipient": SQL('source."pk"'),
        "created_at": now,
        "email_status": SQL(
            f"CASE WHEN {immediately.text} THEN %s WHEN {emailed.text} THEN %s ELSE %s END",
            (*immediately.params, EmailStatus.PENDING.value, *emailed.params, EmailStatus.DIGEST.value,
             EmailStatus.SKIPPED.value),
        ),  # fmt: skip
        "email_due_at": SQL(
            f"CASE WHEN {immediately.text} THEN %s END",
            (*immediately.params, prepared(Notification, "email_due_at", now)),
        ),
    }
    chosen = SQL(
        f"LEFT JOIN {quote(preference.db_table)} chosen ON chosen.{quote(preference.get_field('user').column)} = "
        f"source.\"pk\" AND chosen.{quote(preference.get_field('category').column)} = %s",
        (Category(category).value,),
    )
    people = users.order_by("pk").values_list("pk", "email_verified")
    return insert_select(
        Notification,
        values,
        people[:limit] if limit is not None else people,
        join=chosen,
        returning=("id", "recipient", "email_status"),
    )


def _told(inserted: list[tuple[int, int, str]]) -> None:
    """What follows new rows: their people's unread counts rise, and their immediate emails are queued on commit."""
    if inserted:
        _raise_unread([recipient for _, recipient, _ in inserted])
        queue.deliver_on_commit([pk for pk, _, status in inserted if status == EmailStatus.PENDING])


# The unread counts being gathered by unread_counts_together(), if any: {person's id: how many more}.
_gathered: ContextVar[Counter | None] = ContextVar("notifications_unread_gathered", default=None)


def _count_unread(counts: Counter) -> None:
    """Raise these people's unread counts in one statement that locks their rows in id order: two
    writes whose audiences overlap (replies in two discussions with followers in common) then wait
    for each other instead of deadlocking. A transaction that ran it twice could take its locks out
    of order with another's: a service that notifies of several events gathers them first."""
    in_order = User.objects.filter(pk__in=list(counts)).order_by("pk").select_for_update(no_key=True).values("pk")
    more = [When(pk=pk, then=Value(n)) for pk, n in counts.items() if n != 1]
    step = Case(*more, default=Value(1)) if more else Value(1)
    User.objects.filter(pk__in=in_order).update(unread_notification_count=F("unread_notification_count") + step)


def _raise_unread(ids: list[int]) -> None:
    gathered = _gathered.get()
    if gathered is None:
        _count_unread(Counter(ids))
    else:
        gathered.update(ids)


@contextmanager
def unread_counts_together():
    """Raise the unread counts of everyone notified inside at its end, once, in one statement.

    For a service that tells people of several events in one transaction (a moderator's approval
    tells the author, the reporters and the discussion's followers), so that its transaction, like a
    reply's, locks people's rows once and in id order. Use it inside the transaction, as the
    decorator under @transaction.atomic. One inside another hands its counts to the outer one when it
    ends normally; when it ends with an exception (its savepoint rolls back) they are dropped.
    """
    counts: Counter = Counter()
    token = _gathered.set(counts)
    try:
        yield
    finally:
        _gathered.reset(token)
    if (outer := _gathered.get()) is not None:
        outer.update(counts)
    elif counts:
        _count_unread(counts)


def _wanted(event: Event, recipients: Iterable[tuple[Any, str, str]]) -> dict[int, tuple[str, str]]:
    """{person's id: (category, title)}: the first entry for a person wins; never the actor."""
    wanted: dict[int, tuple[str, str]] = {}
    for person, category, title in recipients:
        pk = getattr(person, "pk", person)
        if pk is not None and pk != event.actor_id:
            wanted.setdefault(pk, (category, title))
    return wanted


def _not_yet_told(users, event: Event):
    """These people, narrowed to those active, not the actor and not yet notified of the event."""
    return users.filter(is_active=True).exclude(pk=event.actor_id).exclude(notifications__event_key=event.key)


def _insert_named(event: Event, wanted: dict[int, tuple[str, str]], *, now) -> list[tuple[int, int, str]]:
    """The rows for people named one by one: one INSERT for each different (category, title), mostly one."""
    people: dict[tuple[str, str], list[int]] = {}
    for pk, notice in wanted.items():
        people.setdefault(notice, []).append(pk)
    inserted = []
    for (category, title), ids in people.items():
        inserted += _insert(_not_yet_told(User.objects.filter(pk__in=ids), event), event, category, title, now=now)
    return inserted


@transaction.atomic(savepoint=False)  # inside a caller's transaction: no savepoint, it fails as a whole
def notifications_create(*, event: Event, recipients: Iterable[tuple[Any, str, str]]) -> list[Notification]:
    """Notify a few people of one event: `recipients` is [(user or id, category, title)].

    The first entry for a person wins, so list the most specific first (a reply before a mention
    before a followed discussion). The actor, people already notified of the event and inactive
    accounts are left out. Returns the rows written.
    """
    wanted, now = _wanted(event, recipients), timezone.now()
    inserted = _insert_named(event, wanted, now=now)
    _told(inserted)
    return [  # as stored, without reading them back
        Notification(
            pk=pk,
            recipient_id=recipient,
            created_at=now,
            email_status=status,
            email_due_at=now if status == EmailStatus.PENDING else None,
            **_content(event, *wanted[recipient]),
        )
        for pk, recipient, status in sorted(inserted, key=lambda row: row[1])
    ]


def notification_create(*, recipient, category: str, title: str, event: Event) -> Notification | None:
    """Notify one person (a moderation decision, an appeal result). None when they are left out."""
    rows = notifications_create(event=event, recipients=[(recipient, category, title)])
    return rows[0] if rows else None


@transaction.atomic(savepoint=False)
def notifications_fan_out(
    *,
    event: Event,
    category: str,
    title: str,
    audience: str,
    audience_kwargs: dict | None = None,
    first: Iterable[tuple[Any, str, str]] = (),
) -> NotificationFanOut | None:
    """Notify an audience of any size, and `first` a few people more specifically.

    `audience` is the dotted path of a function that takes `audience_kwargs` and returns a queryset
    of users (say "programmes.notifications.programme_followers"). `first` is as
    `notifications_create`'s recipients (the person answered, the people mentioned): they hear of
    the event in their own words and the audience's notice skips them. People already notified of
    the event, by an earlier call, are skipped, and so is the actor.

    The first NOTIFICATIONS_FAN_OUT_INLINE people of the audience not yet told, in id order (all of
    most discussions' followers), are written here, in the caller's transaction, with one update of
    the unread counts: a task and its bookkeeping would cost more than the rows. When that many were
    written there may be more: the rest is recorded, from where these stopped, and a task writes it
    a chunk at a time once the transaction commits (a task that finds nobody left when exactly that
    many were all). Returns that record, or None when everything was
    written here.
    """
    audience_of = import_string(audience)
    wanted, now = _wanted(event, first), timezone.now()
    inserted = _insert_named(event, wanted, now=now)
    limit = max(settings.NOTIFICATIONS_FAN_OUT_INLINE, 0)
    people = _not_yet_told(audience_of(**(audience_kwargs or {})), event)
    others = _insert(people, event, category, title, now=now, limit=limit) if limit else []
    _told(inserted + others)
    if len(others) < limit or (not limit and not people.exists()):
        return None
    fan_out = NotificationFanOut.objects.create(
        audience=audience,
        audience_kwargs=audience_kwargs or {},
        cursor=max((recipient for _, recipient, _ in others), default=0),
        **_content(event, category, title),
    )
    queue.fan_out_on_commit(fan_out.pk)
    return fan_out


def fan_out_run(*, fan_out_id: int) -> int:
    """Write a fan-out's notifications a chunk at a time, each chunk committed with its emails queued.

    The fan-out row is locked while a chunk is written and keeps the last user id done, so two
    runs never write the same chunk and a run that died resumes where it stopped.
    """
    written = 0
    while True:
        with transaction.atomic():
            fan_out = NotificationFanOut.objects.select_for_update().filter(pk=fan_out_id).first()
            if fan_out is None or fan_out.completed_at is not None:
                return written
            event = Event(
                key=fan_out.event_key,
                url=fan_out.url,
                actor=fan_out.actor_id,
                excerpt=fan_out.excerpt,
                section=fan_out.section,
                topic=fan_out.topic,
                topic_url=fan_out.topic_url,
            )
            audience = import_string(fan_out.audience)(**fan_out.audience_kwargs)
            chunk = settings.NOTIFICATIONS_FAN_OUT_CHUNK
            people = _not_yet_told(audience.filter(pk__gt=fan_out.cursor), event)
            inserted = _insert(people, event, fan_out.category, fan_out.title, now=timezone.now(), limit=chunk)
            _told(inserted)
            written += len(inserted)
            fan_out.cursor = max((recipient for _, recipient, _ in inserted), default=fan_out.cursor)
            if len(inserted) < chunk:
                fan_out.completed_at = timezone.now()
            fan_out.save(update_fields=["cursor", "completed_at"])
            if fan_out.completed_at is not None:
                return written


def _taken_down(event_keys: list[str], key_prefixes: Iterable[str], topic_urls: Iterable[str]) -> Q:
    about = Q(pk__in=[])
    for start in range(0, len(event_keys), KEYS_PER_QUERY):
        about |= Q(event_key__in=event_keys[start : start + KEYS_PER_QUERY])
    for prefix in key_prefixes:
        about |= Q(event_key__startswith=prefix)
    for url in topic_urls:
        about |= Q(topic_url__startswith=url) | Q(url__startswith=url)
    return about


@transaction.atomic
def notifications_withdraw(
    *, event_keys: Iterable[str] = (), key_prefixes: Iterable[str] = (), topic_urls: Iterable[str] = (), topic: str = ""
) -> int:
    """Words taken down (hidden, removed, deleted by their author, erased with an account) leave
    every copy: inbox rows and fan-outs lose the excerpt, emails not yet sent are not sent, and
    unfinished fan-outs stop. For a discussion (`topic_urls`, the prefixes of its links, and
    `topic`, its title) the title leaves the notifications' titles and topics, and links to it
    lose their words. Returns how many inbox rows were touched.

    The one place notifications forget content: anything that takes words down calls it.
    """
    topic_urls = [url for url in topic_urls if url]
    about = _taken_down(list(event_keys), key_prefixes, topic_urls)
    scrub = {"excerpt": ""}
    if topic_urls:
        scrub.update(topic="", topic_url="")
        if topic:
            scrub["title"] = Replace(F("title"), Value(_one_line(topic, 255)), Value(TAKEN_DOWN_TOPIC))
    Notification.objects.filter(about, email_status__in=UNSENT).update(email_status=EmailStatus.SKIPPED)
    NotificationFanOut.objects.filter(about, completed_at__isnull=True).update(completed_at=timezone.now())
    touched = Notification.objects.filter(about).update(**scrub)
    NotificationFanOut.objects.filter(about).update(**scrub)
    for url in topic_urls:
        for model in (Notification, NotificationFanOut):
            model.objects.filter(url__startswith=url).exclude(url=url).update(url=url)
    return touched


@transaction.atomic
def notifications_revise(*, event_key: str, excerpt_text: str) -> int:
    """An edited post's notifications quote its words as they now stand, not as they were."""
    revised = excerpt(excerpt_text)
    Notification.objects.filter(event_key=event_key).exclude(excerpt=revised).update(excerpt=revised)
    return NotificationFanOut.objects.filter(event_key=event_key).exclude(excerpt=revised).update(excerpt=revised)


def _require_recipient(actor, notification: Notification) -> None:
    if not actor.has_perm("accounts.mark_notification", notification):
        raise PermissionDenied("That notification is not yours.")


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> bool:
    """Mark one notification read. True if it was unread."""
    _require_recipient(actor, notification)
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        User.objects.filter(pk=actor.pk).update(
            unread_notification_count=Greatest(F("unread_notification_count") - 1, 0)
        )
        actor.unread_notification_count = max(actor.unread_notification_count - 1, 0)
        notification.read_at = now
    return bool(changed)


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read. Returns how many were unread."""
    if not actor.has_perm("accounts.read_notifications"):
        raise PermissionDenied("Sign in to see your notifications.")
    changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        User.objects.filter(pk=actor.pk).update(
            unread_notification_count=Greatest(F("unread_notification_count") - changed, 0)
        )
    actor.unread_notification_count = max(actor.unread_notification_count - changed, 0)
    return changed


def _set_frequencies(user_id: int, frequencies: dict[str, str]) -> None:
    for category, frequency in frequencies.items():
        NotificationPreference.objects.update_or_create(
            user_id=user_id, category=Category(category), defaults={"frequency": Frequency(frequency)}
        )
    turned_off = [category for category, frequency in frequencies.items() if frequency == Frequency.OFF]
    if turned_off:
        Notification.objects.filter(
            recipient_id=user_id,
            category__in=turned_off,
            email_status__in=[EmailStatus.PENDING, EmailStatus.DIGEST],
        ).update(email_status=EmailStatus.SKIPPED)


@transaction.atomic
def notification_preferences_set(*, actor, user, frequencies: dict[str, str]) -> None:
    """Store the person's email frequency for each category given. Turning one off also drops its unsent emails."""
    if not actor.has_perm("accounts.change_user", user):
        raise PermissionDenied("You can only change your own email preferences.")
    try:
        frequencies = {Category(c).value: Frequency(f).value for c, f in frequencies.items()}
    except ValueError as exc:
        raise ValidationError("Choose how often to get each kind of email.", code="invalid") from exc
    _set_frequencies(user.pk, frequencies)


@transaction.atomic
def notification_unsubscribe(*, token: str) -> tuple[User, list[str]]:
    """Turn off the token's categories for its person: the signed token is the permission, no login.

    Raises signing.BadSignature for a tampered, malformed or stale token.
    """
    user_id, categories = tokens.read(token)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise signing.BadSignature("No such person.")
    _set_frequencies(user.pk, {category: Frequency.OFF for category in categories})
    return user, categories
