"""Discussions in the site search: the hits and results selectors for threads and comments.

Every hit comes through the same `visible_to` scopes as the discussion pages, so a search never
shows a held, hidden or removed post, a deleted comment, or a comment in a thread the person may
not open, to anyone who could not read it there.
"""

from django.db.models import Q, QuerySet

from talkhealth import search
from talkhealth.search import Filters, Hit, Result, Terms

from .models import Comment, Tag, TaggedThread, Thread, Visibility

THREAD_FIELDS = {"title": 2, "body": 1}


def tag_for_filter(*, text: str) -> Tag | None:
    """The tag someone typed, by name or slug, ignoring case."""
    text = " ".join(text.split())
    return Tag.objects.filter(Q(name__iexact=text) | Q(slug__iexact=text)).order_by("pk").first()


def _filtered(queryset: QuerySet, filters: Filters, *, thread: str = "") -> QuerySet:
    if filters.programme:
        queryset = queryset.filter(**{f"{thread}board__programme__slug": filters.programme})
    if filters.tag:
        tagged = TaggedThread.objects.filter(tag__slug=filters.tag).values("object_id")
        queryset = queryset.filter(**{"thread_id__in" if thread else "pk__in": tagged})
    if filters.since:
        queryset = queryset.filter(created_at__gte=filters.since)
    return queryset


def _hits(queryset: QuerySet, kind: str, terms: Terms, *, fallback: dict[str, int], limit: int) -> list[Hit]:
    """The newest `limit` matches with their rank, for the caller to order by relevance.

    Newest by id lets PostgreSQL walk the primary key backwards and stop at `limit` when a word is
    common, or use the search index when it is rare. It cannot tell how rare a "quoted phrase" is
    (it guesses from the words alone), and a rare phrase of common words would walk the whole table:
    phrases order by date instead, which no index serves, so the search index always finds them
    (by word positions where it is RUM, forums migration 0007)."""
    newest = ("-created_at", "-pk") if terms.has_phrase and search.uses_postgres() else ("-pk",)
    rows = (
        queryset.annotate(rank=search.rank(terms, fallback=fallback))
        .order_by(*newest)
        .values_list("pk", "rank", "created_at")[:limit]
    )
    return [Hit(kind=kind, pk=pk, rank=rank, created_at=created) for pk, rank, created in rows]


def thread_hits(*, user, terms: Terms, filters: Filters, limit: int) -> list[Hit]:
    """The newest `limit` matching threads `user` can see, with their rank. A thread that belongs
    to something else (a programme update's discussion) is found through that thing's own source,
    which knows whether it is published."""
    threads = Thread.objects.visible_to(user).filter(page_url="")
    threads = threads.filter(search.matches(terms, fields=tuple(THREAD_FIELDS)))
    return _hits(_filtered(threads, filters), "thread", terms, fallback=THREAD_FIELDS, limit=limit)


def comment_hits(*, user, terms: Terms, filters: Filters, limit: int) -> list[Hit]:
    """The newest `limit` matching comments `user` can read, in threads they can see, with their rank."""
    comments = Comment.objects.visible_to(user).filter(search.matches(terms, fields=("body",)))
    return _hits(_filtered(comments, filters, thread="thread__"), "comment", terms, fallback={"body": 1}, limit=limit)


def _status(post) -> str:
    return "" if post.visibility == Visibility.PUBLISHED else post.get_visibility_display()


def thread_results(*, pks: list[int], terms: Terms) -> dict[int, Result]:
    threads = Thread.objects.filter(pk__in=pks).select_related("author", "board__programme")
    threads = threads.defer("search_vector", "body_html", "board__description", "board__programme__summary")
    results = {}
    for thread in search.with_headlines(threads, terms):
        title, snippet = search.title_and_snippet(thread, terms)
        programme = thread.board.programme
        results[thread.pk] = Result(
            kind="thread",
            label="Discussion",
            url=thread.get_absolute_url(),
            title=search.highlight(title),
            snippet=search.highlight(snippet),
            created_at=thread.created_at,
            author=thread.author.display_name,
            context=f"{programme.short_name}: {thread.board.name}",
            context_url=thread.board.get_absolute_url(),
            status=_status(thread),
        )
    return results


def comment_results(*, pks: list[int], terms: Terms) -> dict[int, Result]:
    comments = Comment.objects.filter(pk__in=pks).select_related("author", "thread__board__programme")
    comments = comments.defer(
        "search_vector", "body_html", "thread__search_vector", "thread__body", "thread__body_html",
        "thread__board__description", "thread__board__programme__summary",
    )
    if search.uses_postgres():
        comments = comments.annotate(body_marked=search.headline("body", terms))
    results = {}
    for comment in comments:
        marked = comment.body_marked if search.uses_postgres() else search.mark_terms(comment.body, terms)
        thread = comment.thread
        results[comment.pk] = Result(
            kind="comment",
            label=comment.offline_marker or "Comment",
            url=comment.get_absolute_url(),
            title=search.highlight(f"Reply in “{thread.title}”"),
            snippet=search.highlight(search.plain(marked)),
            created_at=comment.created_at,
            author="" if comment.offline_marker else comment.author.display_name,
            context=f"{thread.board.programme.short_name}: {thread.board.name}",
            context_url=thread.board.get_absolute_url(),
            status=_status(comment),
        )
    return results
