"""CSV exports of a programme's discussions for analysis.

People appear only as stable pseudonyms: an HMAC of their user id keyed with SECRET_KEY, the same
in every export (so analysts can follow one person across threads) but impossible to turn back
into an account without the key. No emails, no display names. Only published posts are exported,
with the offline contributions whose consent is not withdrawn ("offline-<id>", one person each).
"""

import csv
import hashlib
import hmac
import io
import logging
import tempfile
from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from forums.models import Comment, Thread, Visibility
from talkhealth import outbox

from ..contributions.models import OfflineContribution
from .models import KEEP_FOR, DiscussionExport

log = logging.getLogger(__name__)

COLUMNS = [
    "thread_id",
    "thread_title",
    "thread_status",
    "programme",
    "post_type",
    "comment_id",
    "parent_id",
    "posted_at_utc",
    "author",
    "author_borough",
    "likes",
    "official_response",
    "text",
]
PROGRESS_EVERY = 500


def pseudonym(user_id: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"talkhealth-export:{user_id}".encode(), hashlib.sha256)
    return "p-" + digest.hexdigest()[:16]


def _threads(programme):
    threads = Thread.objects.filter(visibility=Visibility.PUBLISHED)
    return threads.filter(board__programme=programme) if programme is not None else threads


def _comments(programme):
    """Comments, less those that show an offline contribution: it is exported once, as offline."""
    return Comment.objects.filter(
        visibility=Visibility.PUBLISHED, is_deleted=False, offline_marker="", thread__in=_threads(programme)
    )


def _offline(programme):
    offline = OfflineContribution.objects.analysable()
    return offline.filter(programme=programme) if programme is not None else offline


def _rows(programme):
    """Each thread's opening post, then its comments in order, a chunk of rows at a time."""
    threads = (
        _threads(programme)
        .select_related("author", "board__programme")
        .only("id", "title", "status", "body", "created_at", "like_count", "author__borough", "board__programme__slug")
        .order_by("id")
    )
    comments = (
        _comments(programme)
        .select_related("author", "thread", "thread__board__programme")
        .only(
            "id",
            "thread_id",
            "parent_id",
            "body",
            "created_at",
            "like_count",
            "is_official",
            "author_id",
            "author__borough",
            "thread__title",
            "thread__status",
            "thread__board__programme__slug",
        )
        .order_by("thread_id", "created_at", "id")
    )
    for t in threads.iterator(chunk_size=2000):
        yield [
            t.pk,
            _cell(t.title),
            t.status,
            t.board.programme.slug,
            "thread",
            "",
            "",
            _utc(t.created_at),
            pseudonym(t.author_id),
            t.author.borough,
            t.like_count,
            "",
            _cell(t.body),
        ]
    for c in comments.iterator(chunk_size=2000):
        yield [
            c.thread_id,
            _cell(c.thread.title),
            c.thread.status,
            c.thread.board.programme.slug,
            "comment",
            c.pk,
            c.parent_id or "",
            _utc(c.created_at),
            pseudonym(c.author_id),
            c.author.borough,
            c.like_count,
            "yes" if c.is_official else "",
            _cell(c.body),
        ]
    offline = _offline(programme).select_related("programme", "session", "comment__thread").order_by("id")
    for o in offline.iterator(chunk_size=2000):
        thread = o.comment.thread if o.comment_id else None
        yield [
            thread.pk if thread else "",
            _cell(thread.title) if thread else "",
            thread.status if thread else "",
            o.programme.slug,
            f"offline {o.get_channel_display().lower()}",
            "",
            "",
            _utc(o.session.said_at),
            f"offline-{o.pk}",
            o.borough,
            "",
            "",
            _cell(o.text),
        ]


def _cell(text: str) -> str:
    """Text as a spreadsheet will not run it: a leading =, +, - or @ would start a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@transaction.atomic
def export_request(*, actor, programme=None) -> DiscussionExport:
    """Ask for an export. A Celery job writes it; the page shows its progress and then a download link."""
    if not actor.has_perm("programmes.export_discussions"):
        raise PermissionDenied("Only partnership staff can export discussions.")
    export = DiscussionExport.objects.create(programme=programme, requested_by=actor)
    outbox.job_enqueue("programmes.discussion_export_run", export.pk)
    return export


def export_run(*, export_id: int) -> DiscussionExport | None:
    """Write the CSV, counting rows as it goes so the page can show progress. Safe to run twice:
    only a pending export is started."""
    started = DiscussionExport.objects.filter(pk=export_id, status=DiscussionExport.Status.PENDING).update(
        status=DiscussionExport.Status.RUNNING
    )
    if not started:
        return None
    export = DiscussionExport.objects.select_related("programme").get(pk=export_id)
    programme = export.programme
    try:
        total = _threads(programme).count() + _comments(programme).count() + _offline(programme).count()
        DiscussionExport.objects.filter(pk=export_id).update(total_rows=total)
        with tempfile.TemporaryFile() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(COLUMNS)
            done = 0
            for row in _rows(programme):
                writer.writerow(row)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    DiscussionExport.objects.filter(pk=export_id).update(rows_done=done)
            text.flush()
            raw.seek(0)
            name = f"talk-health-{programme.slug if programme else 'all'}-{timezone.now():%Y%m%d-%H%M%S}.csv"
            export.file.save(name, File(raw), save=False)
            text.detach()
        DiscussionExport.objects.filter(pk=export_id).update(
            file=export.file.name, rows_done=done, status=DiscussionExport.Status.DONE, finished_at=timezone.now()
        )
    except Exception as exc:
        log.exception("Discussion export %s failed", export_id)
        DiscussionExport.objects.filter(pk=export_id).update(
            status=DiscussionExport.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    return DiscussionExport.objects.get(pk=export_id)


def exports_purge(*, now=None) -> int:
    """Delete the files of exports finished more than KEEP_FOR ago; each request stays, marked expired,
    so the list still shows who exported what and when."""
    now = now or timezone.now()
    expired = DiscussionExport.objects.filter(status=DiscussionExport.Status.DONE, finished_at__lte=now - KEEP_FOR)
    count = 0
    for export in expired.iterator():
        if export.file:
            export.file.storage.delete(export.file.name)
        DiscussionExport.objects.filter(pk=export.pk).update(status=DiscussionExport.Status.EXPIRED, file="")
        count += 1
    return count


def exports_for_staff():
    return list(
        DiscussionExport.objects.select_related("programme", "requested_by").order_by("-created_at", "-id")[:50]
    )
