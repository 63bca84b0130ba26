"""Authors' own changes to the opening post of their discussions: edit it (the earlier text kept
for them and the moderators to see) or delete it. Moderators act through the moderation pages."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from talkhealth import markdown

from . import notifications, pagetags, text
from .models import Board, Thread, ThreadRevision
from .moderation import services as moderation

DELETED_TITLE = "Discussion deleted by its author"


def _require_author(actor, perm: str, thread: Thread, message: str) -> None:
    from .services import _require

    if thread.page_url:
        raise ValidationError("This discussion belongs to a programme update; edit the update instead.", code="update")
    if thread.is_deleted:
        raise ValidationError("This discussion has been deleted.", code="deleted")
    _require(actor, perm, thread, message=message)


@transaction.atomic
def thread_edit(*, actor, thread: Thread, title: str, body: str, personal_confirmed: bool = False) -> Thread:
    """The author rewrites the title or opening post. The edit meets the same link cap and screening
    as a new post, so nothing a post may not carry can be edited in; one that must be checked waits
    for a moderator. The text it replaces is kept as a revision."""
    from .services import _clean_body, _require_posting

    _require_author(actor, "forums.change_thread", thread, "You can only edit discussions you started.")
    _require_posting(actor, "forums.add_thread", "Confirm your email address before editing.")
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Enter a title for your discussion.", code="empty_title")
    body = _clean_body(body)
    if (title, body) == (thread.title, thread.body):
        return thread
    text.check_links(actor, body)
    screening = moderation.post_screen(
        actor=actor, text=f"{title}\n{body}", personal_confirmed=personal_confirmed, editing=True
    )
    ThreadRevision.objects.create(thread=thread, title=thread.title, body=thread.body, edited_by=actor)
    thread.title, thread.body, thread.body_html = title, body, markdown.render(body)
    thread.edited_at = timezone.now()
    thread.save(update_fields=["title", "body", "body_html", "edited_at"])
    thread.screening = screening
    moderation.post_flag(content=thread, screening=screening)
    notifications.content_revised(content=thread)
    pagetags.thread_changed(thread)
    return thread


@transaction.atomic
def thread_delete(*, actor, thread: Thread) -> Thread | None:
    """The author takes their opening post down for good, with its earlier versions and tags.

    A discussion nobody has replied to goes entirely (None is returned). One with replies stays,
    locked and titled "Discussion deleted by its author", so the replies keep their place."""
    _require_author(actor, "forums.delete_thread", thread, "You can only delete discussions you started.")
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    notifications.content_taken_down(content=thread)
    pagetags.thread_changed(thread)
    if not thread.comments.exists():
        Board.objects.filter(pk=thread.board_id).update(thread_count=F("thread_count") - 1)
        thread.delete()
        return None
    thread.revisions.all().delete()
    thread.tags.clear()
    thread.title, thread.body, thread.body_html = DELETED_TITLE, "", ""
    thread.is_deleted, thread.is_locked, thread.edited_at = True, True, timezone.now()
    thread.save(update_fields=["title", "body", "body_html", "is_deleted", "is_locked", "edited_at"])
    return thread
