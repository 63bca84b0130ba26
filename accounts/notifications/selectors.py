"""The reads the notification pages need: a fixed number of queries whatever the inbox holds."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404

from accounts.models import Notification

INBOX_FIELDS = ("id", "recipient_id", "category", "title", "excerpt", "section", "topic", "created_at", "read_at")


def inbox_page(*, user, page: int | str = 1) -> Page:
    """Newest first. The count for the paginator, then the page's rows: two queries."""
    rows = Notification.objects.filter(recipient=user).only(*INBOX_FIELDS).order_by("-created_at", "-id")
    return Paginator(rows, settings.NOTIFICATIONS_PER_PAGE).get_page(page)


def notification_for(*, user, pk: int) -> Notification:
    """The person's own notification, or 404: someone else's is as missing as a deleted one."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
