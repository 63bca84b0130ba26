"""Closing the loop, read: the discussions a programme's partnership has answered or acted on."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from forums.models import Comment, Thread, ThreadStatus, Visibility


def threads_with_status(*, programme, user) -> list[Thread]:
    """Discussions in `programme` the partnership has answered or acted on, latest decision first:
    the "You said, we did" page. The update recording each change comes in the same query."""
    threads = (
        Thread.objects.visible_to(user)
        .filter(board__programme=programme)
        .exclude(status=ThreadStatus.OPEN)
        .select_related("author", "board", "status_update")
        .only(
            "id", "title", "status", "status_changed_at", "reply_count", "created_at", "page_url", "official_response_id",
            "author__display_name", "board__slug", "board__name",
            "status_update__id", "status_update__title", "status_update__published_at",
        )
        .annotate(offline_count=_offline_voices())
    )
    return list(threads.order_by("-status_changed_at", "-id"))


def _offline_voices():
    """How many things said offline (roadshows, postcards, ...) the partnership placed in the thread."""
    placed = Comment.objects.filter(
        thread=OuterRef("pk"), visibility=Visibility.PUBLISHED, is_deleted=False
    ).exclude(offline_marker="")
    return Coalesce(Subquery(placed.order_by().values("thread").annotate(n=Count("pk")).values("n")[:1]), 0)
