"""One selector for every contribution that may be analysed, online and offline alike, so every
count, theme and evidence pack reads the same items.

Online: thread openers residents started (not programme announcements) and comments, published,
not deleted, in a published thread, not official responses. A comment that places an offline
contribution in a discussion is that offline contribution, so it is counted once, as offline.
Offline: every contribution whose consent is not withdrawn.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, DateTimeField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone

from forums.models import Comment, Thread, Visibility

from .models import Consent, OfflineContribution


@dataclass(frozen=True, slots=True)
class CorpusItem:
    key: str
    kind: str
    pk: int
    text: str
    created: datetime
    programme_id: int
    board_id: int | None
    thread_id: int | None
    thread_title: str
    parent_text: str
    borough: str
    source: str
    participant: str
    publishable: bool
    session_title: str = ""  # offline: the session it was said at ("Brent roadshow"); "" online


@dataclass(frozen=True, slots=True)
class CorpusKey:
    """An item without its words: enough to filter, count and page, read cheaply."""

    key: str
    kind: str
    pk: int
    created: datetime
    board_id: int | None
    thread_id: int | None
    borough: str
    source: str


def _moment(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def _in_period(qs, field: str, start: datetime | None, end: datetime | None):
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lt": end})
    return qs


ONLINE = ("pk", "text", "created", "programme_id", "board_id", "thread_id", "thread_title", "borough", "author_id")


def _online(kind: str, values: tuple, parent_text: str = "") -> CorpusItem:
    """An item from a post's values, in the order of ONLINE."""
    row = dict(zip(ONLINE, values, strict=True))
    author_id, borough = row.pop("author_id"), row.pop("borough") or ""
    return CorpusItem(
        key=f"{kind}:{row['pk']}", kind=kind, parent_text=parent_text, borough=borough, source="online",
        participant=f"user:{author_id}", publishable=True, **row,
    )  # fmt: skip


def _only(qs, pks: list[int]):
    """Just these rows. With none, still one (empty) query, so a page's query count is constant."""
    return qs.filter(pk__in=pks) if pks else qs.filter(pk__isnull=True)


def _threads_qs(programme, start, end, pks=None):
    qs = Thread.objects.filter(visibility=Visibility.PUBLISHED, board__accepts_threads=True)
    if programme is not None:
        qs = qs.filter(board__programme=programme)
    if pks is not None:
        qs = _only(qs, pks)
    return _in_period(qs, "created_at", start, end)


def _threads(programme, start, end, pks=None) -> list[CorpusItem]:
    qs = _threads_qs(programme, start, end, pks)
    qs = qs.values_list(
        "pk", "body", "created_at", "board__programme_id", "board_id", "id", "title", "author__borough", "author_id"
    )
    return [_online("thread", values) for values in qs]


def _comments_qs(programme, start, end, pks=None):
    qs = Comment.objects.filter(
        visibility=Visibility.PUBLISHED,
        is_deleted=False,
        is_official=False,
        offline_marker="",
        thread__visibility=Visibility.PUBLISHED,
    )
    if programme is not None:
        qs = qs.filter(thread__board__programme=programme)
    if pks is not None:
        qs = _only(qs, pks)
    return _in_period(qs, "created_at", start, end)


def _comments(programme, start, end, pks=None) -> list[CorpusItem]:
    qs = _comments_qs(programme, start, end, pks).values_list(
        "pk", "body", "created_at", "thread__board__programme_id", "thread__board_id", "thread_id", "thread__title",
        "author__borough", "author_id", "thread__body", "parent__body", "parent__is_deleted",
    )  # fmt: skip
    items = []
    for *values, thread_body, parent_body, parent_deleted in qs:
        parent_text = thread_body if parent_body is None else ("" if parent_deleted else parent_body)
        items.append(_online("comment", tuple(values), parent_text))
    return items


def _offline_qs(programme, start, end, pks=None):
    qs = OfflineContribution.objects.analysable()
    if programme is not None:
        qs = qs.filter(programme=programme)
    if pks is not None:
        qs = _only(qs, pks)
    # The session date at noon is the moment; a day either side covers any time zone offset.
    if start is not None:
        qs = qs.filter(session__date__gte=start.date() - timedelta(days=1))
    if end is not None:
        qs = qs.filter(session__date__lte=end.date() + timedelta(days=1))
    return qs


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _outside(created: datetime, start, end) -> bool:
    return (start is not None and created < start) or (end is not None and created >= end)


def _offline(programme, start, end, pks=None) -> list[CorpusItem]:
    qs = _offline_qs(programme, start, end, pks).values_list(
        "pk",
        "text",
        "session__date",
        "programme_id",
        "comment__thread__board_id",
        "comment__thread_id",
        "comment__thread__title",
        "borough",
        "consent",
        "session__title",
    )
    items = []
    for pk, text, day, programme_id, board_id, thread_id, title, borough, consent, session_title in qs:
        created = _noon(day)
        if _outside(created, start, end):
            continue
        items.append(
            CorpusItem(
                key=f"offline:{pk}",
                kind="offline",
                pk=pk,
                text=text,
                created=created,
                programme_id=programme_id,
                board_id=board_id,
                thread_id=thread_id,
                thread_title=title or "",
                parent_text="",
                borough=borough,
                source="offline",
                participant=f"offline:{pk}",
                publishable=consent == Consent.PUBLISH,
                session_title=session_title,
            )
        )
    return items


def corpus_items(*, programme=None, start=None, end=None) -> list[CorpusItem]:
    """Every contribution that may be analysed (online posts that are published and not deleted;
    offline contributions whose consent is not withdrawn), for one programme (None: site-wide),
    created in [start, end) when given, oldest first. Three queries, however many items."""
    start, end = _moment(start), _moment(end)
    items = _threads(programme, start, end) + _comments(programme, start, end) + _offline(programme, start, end)
    items.sort(key=lambda item: (item.created, item.key))
    return items


def corpus_keys(*, programme=None, start=None, end=None) -> list[CorpusKey]:
    """The same items as corpus_items, in the same order, without their words or context: a few
    small columns each, so a page can filter, count and page a large corpus. Three queries."""
    start, end = _moment(start), _moment(end)
    keys = [
        CorpusKey(f"thread:{pk}", "thread", pk, created, board_id, pk, borough or "", "online")
        for pk, created, board_id, borough in _threads_qs(programme, start, end).values_list(
            "pk", "created_at", "board_id", "author__borough"
        )
    ]
    keys += [
        CorpusKey(f"comment:{pk}", "comment", pk, created, board_id, thread_id, borough or "", "online")
        for pk, created, board_id, thread_id, borough in _comments_qs(programme, start, end).values_list(
            "pk", "created_at", "thread__board_id", "thread_id", "author__borough"
        )
    ]
    for pk, day, board_id, thread_id, borough in _offline_qs(programme, start, end).values_list(
        "pk", "session__date", "comment__thread__board_id", "comment__thread_id", "borough"
    ):
        created = _noon(day)
        if not _outside(created, start, end):
            keys.append(CorpusKey(f"offline:{pk}", "offline", pk, created, board_id, thread_id, borough, "offline"))
    keys.sort(key=lambda item: (item.created, item.key))
    return keys


def corpus_items_for(keys, *, programme=None) -> list[CorpusItem]:
    """The full items for some keys ("comment:12", ...), in the order given, leaving out any that
    are no longer analysable. Three queries, whatever the keys."""
    wanted = {"thread": [], "comment": [], "offline": []}
    for key in keys:
        kind, _, pk = key.partition(":")
        wanted[kind].append(int(pk))
    found = {}
    for kind, read in (("thread", _threads), ("comment", _comments), ("offline", _offline)):
        found.update((i.key, i) for i in read(programme, None, None, wanted[kind]))
    return [found[key] for key in keys if key in found]


@dataclass(frozen=True, slots=True)
class KeyFilters:
    """What a page may narrow the corpus by; None or "" leaves a field unfiltered."""

    board: int | None = None
    thread: int | None = None
    start: date | None = None
    end: date | None = None  # inclusive
    source: str = ""
    borough: str = ""


def _key_rows(qs, kind: str, created, board: str, thread: str, borough: str, filters: KeyFilters, exclude):
    """One part of corpus_key_rows: (created, kind, pk) for the rows of one table."""
    lookups = {board: filters.board, thread: filters.thread, borough: filters.borough or None}
    qs = qs.filter(**{field: value for field, value in lookups.items() if value is not None})
    if exclude is not None:
        qs = qs.exclude(exclude(kind))
    kind_value = Value(kind, output_field=CharField())
    rows = qs.order_by().annotate(moment=created, kind=kind_value, item=F("pk"))
    return rows.values_list("moment", "kind", "item")


def corpus_key_rows(*, programme, filters: KeyFilters = KeyFilters(), exclude=None):
    """The corpus as one query over the three tables, for counting and paging in the database:
    rows of (moment, kind, item), oldest first once ordered by ("moment", "kind", "item"). An offline
    item's moment is its session's day. `exclude(kind)` may return a condition (an Exists on the
    row's "pk") that leaves rows out, such as items already coded."""
    # London days, both ends included: _in_period's end is exclusive.
    start, end = filters.start, filters.end and filters.end + timedelta(days=1)
    if filters.source == "offline":
        parts = []
    else:
        threads = _in_period(_threads_qs(programme, None, None), "created_at__date", start, end)
        comments = _in_period(_comments_qs(programme, None, None), "created_at__date", start, end)
        parts = [
            _key_rows(threads, "thread", F("created_at"), "board_id", "id", "author__borough", filters, exclude),
            _key_rows(
                comments, "comment", F("created_at"), "thread__board_id", "thread_id", "author__borough", filters, exclude
            ),
        ]
    if filters.source != "online":
        offline = _in_period(_offline_qs(programme, None, None), "session__date", start, end)
        day = Cast("session__date", DateTimeField())
        parts.append(
            _key_rows(offline, "offline", day, "comment__thread__board_id", "comment__thread_id", "borough", filters, exclude)
        )
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first
