"""Partnership writes on discussions: where the partnership stands on one (its status) and the
discussion that belongs to a staff announcement such as a programme update.

Forums keeps the discussions; the partnership's policy about them lives here, above forums.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forums import notifications, pagetags, text
from forums.models import Board, Thread, ThreadFollow, ThreadStatus, Visibility

from ..updates.models import Update


def _require(actor, perm: str, obj=None, message: str = "You do not have permission to do that.") -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


@transaction.atomic
def thread_status_set(*, actor, thread: Thread, status: str, update: Update | None = None) -> Thread:
    """Say where the partnership stands on a discussion, and tell everyone who took part.

    "Led to a change" must name the published programme update that records the decision
    (`update`, from the thread's own programme); the other statuses name none.
    """
    _require(
        actor, "programmes.set_thread_status", thread, message="Only partnership staff can set a discussion's status."
    )
    try:
        status = ThreadStatus(status)
    except ValueError as exc:
        raise ValidationError("Choose a status for the discussion.", code="invalid_status") from exc
    thread = Thread.objects.select_for_update(of=("self",)).select_related("board").get(pk=thread.pk)
    if status == ThreadStatus.CHANGED:
        if update is None:
            raise ValidationError("Choose the update that records the change.", code="update_required")
        if update.programme_id != thread.board.programme_id or not update.is_published:
            raise ValidationError("Choose a published update from this discussion's programme.", code="wrong_update")
    else:
        update = None
    if thread.status == status and thread.status_update_id == (update.pk if update is not None else None):
        return thread
    thread.status, thread.status_update, thread.status_changed_at = status, update, timezone.now()
    thread.save(update_fields=["status", "status_update", "status_changed_at"])
    notifications.thread_status_changed(
        thread=thread,
        actor=actor,
        url=update.get_absolute_url() if update is not None else None,
        excerpt=update.summary if update is not None else "",
    )
    pagetags.thread_changed(thread)
    return thread


@transaction.atomic
def thread_announce(
    *,
    actor,
    board: Board,
    title: str,
    body: str,
    body_html: str,
    page_url: str,
    tags: list[str] = (),
    visible: bool = True,
    thread: Thread | None = None,
) -> Thread:
    """Open (or refresh) the discussion that belongs to a staff announcement such as a programme update.

    Staff text is written and checked in the staff area, so it skips residents' screening and rate
    limits; its HTML comes already rendered. `visible=False` hides it with its announcement.
    """
    _require(actor, "programmes.announce", message="Only partnership staff can publish announcements.")
    names = text.tag_names(tags)
    text.check_tags(names)
    visibility = Visibility.PUBLISHED if visible else Visibility.HIDDEN
    fields = {"title": title, "body": body, "body_html": body_html, "page_url": page_url, "visibility": visibility}
    if thread is None:
        now = timezone.now()
        thread = Thread.objects.create(
            board=board, author=actor, created_at=now, last_activity_at=now, last_poster=actor, **fields
        )
        Board.objects.filter(pk=board.pk).update(thread_count=F("thread_count") + 1)
        ThreadFollow.objects.get_or_create(user=actor, thread=thread)
    else:
        Thread.objects.filter(pk=thread.pk).update(edited_at=timezone.now(), **fields)
        for name, value in fields.items():
            setattr(thread, name, value)
    thread.tags.set(names)
    pagetags.thread_changed(thread)
    return thread


ANNOUNCEMENT_BOARD = {
    "slug": "updates",
    "name": "Programme updates",
    "description": "News from the programme team. Reply to an update to tell them what you think.",
    "position": 99,
    "accepts_threads": False,
}


def announcement_board_ensure(*, programme) -> Board:
    """The programme's board for staff announcements, made by a migration; made here for a programme added later."""
    board, _ = Board.objects.get_or_create(
        programme=programme, slug=ANNOUNCEMENT_BOARD["slug"], defaults=ANNOUNCEMENT_BOARD
    )
    return board
