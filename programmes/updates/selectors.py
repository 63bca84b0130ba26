"""Reads for programme updates, every join decided here."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Update, UpdateStatus


def published_updates(*, programme=None):
    """Published updates, newest first: the whole site's, or one programme's. Slice or paginate it."""
    updates = Update.objects.published().for_listing().order_by("-published_at", "-id")
    return updates.filter(programme=programme) if programme is not None else updates


def latest_updates(*, programme=None, limit: int = 5) -> list[Update]:
    return list(published_updates(programme=programme)[:limit])


def update_for_page(*, slug: str, pk: int, user) -> Update:
    """A published update with its programme and discussion; staff may also open the others. 404 otherwise."""
    updates = Update.objects.select_related(
        "programme", "author", "thread", "thread__board", "thread__board__programme", "thread__author"
    )
    update = get_object_or_404(updates, pk=pk, programme__slug=slug)
    if update.status != UpdateStatus.PUBLISHED and not user.has_perm("programmes.change_update"):
        raise Http404
    return update


def updates_for_staff(*, programme=None, status: str = "") -> list[Update]:
    updates = Update.objects.select_related("programme", "author").only(
        "id",
        "title",
        "status",
        "publish_at",
        "published_at",
        "updated_at",
        "created_at",
        "thread_id",
        "programme__slug",
        "programme__short_name",
        "author__display_name",
    )
    if programme is not None:
        updates = updates.filter(programme=programme)
    if status:
        updates = updates.filter(status=status)
    return list(updates.order_by("-updated_at", "-id")[:200])


def update_for_staff(*, pk: int) -> Update:
    return get_object_or_404(Update.objects.select_related("programme", "thread"), pk=pk)


def updates_for_decision(*, programme) -> list[Update]:
    """Published updates a "led to a change" status can point to, newest first."""
    return list(
        Update.objects.published()
        .filter(programme=programme)
        .only("id", "title", "published_at")
        .order_by("-published_at")
    )
