"""What a write to discussions changes, as page-cache tags (talkhealth.pagecache).

A thread's reply, like, edit or visibility changes its own pages, its board's and programme hub's
listings (counts, last activity, "you said, we did"), tag pages, search results, the profile of
each person whose post changed and, for an update's discussion, the update's page. Nothing else.

New posts and likes are activity: the thread's own pages (and an update's) change at once, the
listings through their activity tags, up to PAGE_CACHE_ACTIVITY_SECONDS late (thread_activity).
An edit, a takedown or a moderator's decision changes every page at once (thread_changed).
"""

from talkhealth import pagecache

from .models import Board, Comment, Thread


def board_tags(board_id: int) -> list[str]:
    programme_slug, board_slug = Board.objects.values_list("programme__slug", "slug").get(pk=board_id)
    return [f"board:{programme_slug}/{board_slug}", f"hub:{programme_slug}"]


def thread_tags(thread) -> list[str]:
    tags = [f"thread:{thread.pk}", *board_tags(thread.board_id), "tags", "search", f"person:{thread.author_id}"]
    if thread.page_url:
        tags.append(f"url:{thread.page_url}")
    return tags


def thread_changed(thread, *, people=()) -> None:
    """After commit, make stale the pages that show `thread` and the profiles of `people` (ids)."""
    pagecache.invalidate_on_commit(*thread_tags(thread), *(f"person:{pk}" for pk in people))


def thread_activity(thread) -> None:
    """After commit, a new post or like in `thread`: its own pages now, the listings that count or
    list it (its board, programme hub and "you said, we did", tag pages, search, profiles) soon."""
    if board := thread.loaded_board:
        programme_slug, board_slug = board.programme.slug, board.slug
    else:
        programme_slug, board_slug = Board.objects.values_list("programme__slug", "slug").get(pk=thread.board_id)
    pagecache.invalidate_on_commit(f"thread:{thread.pk}", *([f"url:{thread.page_url}"] if thread.page_url else []))
    pagecache.activity_on_commit(f"activity:{programme_slug}/{board_slug}", f"activity:{programme_slug}", "activity")


def person_tags(user) -> set[str]:
    """A name or account change shows on every page with their posts: their threads' and replies'."""
    thread_ids = set(Thread.objects.filter(author=user).values_list("pk", flat=True))
    thread_ids |= set(Comment.objects.filter(author=user).values_list("thread_id", flat=True).distinct())
    tags = {f"person:{user.pk}", "tags", "search"}
    rows = Thread.objects.filter(pk__in=thread_ids).values_list("pk", "page_url", "board__programme__slug", "board__slug")
    for pk, page_url, programme_slug, board_slug in rows:
        tags |= {f"thread:{pk}", f"board:{programme_slug}/{board_slug}", f"hub:{programme_slug}"}
        if page_url:
            tags.add(f"url:{page_url}")
    return tags
