"""One selector for everything people said: the corpus that themes, counts and packs analyse.

This version covers online posts only (thread openers and comments); the offline-voices work
extends it to contributions recorded at engagement sessions, with the same fields and rules.
"""

from dataclasses import dataclass
from datetime import datetime

from forums.models import Comment, Thread, Visibility


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


def _threads(programme, start, end):
    """Residents' published discussions; an update's discussion opens with staff text, not theirs."""
    threads = Thread.objects.filter(visibility=Visibility.PUBLISHED, board__accepts_threads=True)
    if programme is not None:
        threads = threads.filter(board__programme=programme)
    if start is not None:
        threads = threads.filter(created_at__gte=start)
    if end is not None:
        threads = threads.filter(created_at__lt=end)
    return threads


def corpus_items(*, programme=None, start=None, end=None) -> list[CorpusItem]:
    """Every contribution that may be analysed (online posts that are published and not deleted,
    in a published discussion; official responses are the partnership's words and are left out),
    for one programme (None: site-wide), created in [start, end) when given, oldest first.
    Two queries however many posts."""
    threads = (
        _threads(programme, start, end)
        .select_related("author", "board")
        .only("id", "title", "body", "created_at", "author_id", "author__borough", "board_id", "board__programme_id")
    )
    items = [
        CorpusItem(
            key=f"thread:{t.pk}",
            kind="thread",
            pk=t.pk,
            text=t.body,
            created=t.created_at,
            programme_id=t.board.programme_id,
            board_id=t.board_id,
            thread_id=t.pk,
            thread_title=t.title,
            parent_text="",
            borough=t.author.borough,
            source="online",
            participant=f"user:{t.author_id}",
            publishable=True,
        )
        for t in threads.iterator(chunk_size=2000)
    ]
    published = Thread.objects.filter(visibility=Visibility.PUBLISHED)
    if programme is not None:
        published = published.filter(board__programme=programme)
    comments = Comment.objects.filter(
        visibility=Visibility.PUBLISHED, is_deleted=False, is_official=False, thread__in=published
    )
    if start is not None:
        comments = comments.filter(created_at__gte=start)
    if end is not None:
        comments = comments.filter(created_at__lt=end)
    comments = comments.select_related("author", "thread", "thread__board", "parent").only(
        "id",
        "body",
        "created_at",
        "author_id",
        "author__borough",
        "thread_id",
        "thread__title",
        "thread__body",
        "thread__board_id",
        "thread__board__programme_id",
        "parent_id",
        "parent__body",
        "parent__visibility",
        "parent__is_deleted",
    )
    for c in comments.iterator(chunk_size=2000):
        if c.parent_id is None:
            parent_text = c.thread.body
        elif c.parent.visibility == Visibility.PUBLISHED and not c.parent.is_deleted:
            parent_text = c.parent.body
        else:
            parent_text = ""
        items.append(
            CorpusItem(
                key=f"comment:{c.pk}",
                kind="comment",
                pk=c.pk,
                text=c.body,
                created=c.created_at,
                programme_id=c.thread.board.programme_id,
                board_id=c.thread.board_id,
                thread_id=c.thread_id,
                thread_title=c.thread.title,
                parent_text=parent_text,
                borough=c.author.borough,
                source="online",
                participant=f"user:{c.author_id}",
                publishable=True,
            )
        )
    items.sort(key=lambda item: (item.created, item.kind, item.pk))
    return items
