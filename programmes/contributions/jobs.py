"""An uploaded file of contributions, from its check to its import by a Celery job.

The upload is checked at once and its report kept; nothing is saved until staff choose to import
the valid rows or nothing. The uploaded file is kept only until then: words live in contributions,
where a withdrawal can reach them, not in files."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from talkhealth import outbox

from . import imports
from .models import ContributionImport

log = logging.getLogger(__name__)


def _require(actor) -> None:
    if not actor.has_perm("programmes.record_offline"):
        raise PermissionDenied("Only partnership staff can import offline contributions.")


@transaction.atomic
def import_upload(*, actor, session, name: str, data: bytes) -> ContributionImport:
    """Check an uploaded file and keep its report. The same file already imported for the session
    is refused; a bad file raises ValidationError with a clear message and keeps nothing."""
    _require(actor)
    digest = imports.file_hash(data)
    earlier = ContributionImport.objects.filter(
        session=session,
        file_hash=digest,
        status__in=[
            ContributionImport.Status.DONE,
            ContributionImport.Status.RUNNING,
            ContributionImport.Status.PENDING,
        ],
    ).first()
    if earlier is not None:
        raise ValidationError(
            f"This file was already imported for this session on {timezone.localtime(earlier.created_at):%-d %B %Y}. "
            "Nothing has been added again.",
            code="duplicate_file",
        )
    try:
        checked = imports.check(session=session, data=data, name=name)
    except imports.FileRefused as refused:
        raise ValidationError(str(refused), code="bad_file") from None
    job = ContributionImport.objects.create(
        session=session,
        file_name=name[:200],
        file_hash=digest,
        total_rows=len(checked.rows),
        valid_rows=len(checked.valid),
        problems=checked.problems,
        uploaded_by=actor,
    )
    job.file.save(f"{job.pk}-{digest[:16]}", ContentFile(data), save=True)
    return job


@transaction.atomic
def import_decide(*, actor, job: ContributionImport, mode: str) -> ContributionImport:
    """Import the valid rows (a Celery job, with progress), or nothing: the file is then dropped."""
    _require(actor)
    job = ContributionImport.objects.select_for_update().get(pk=job.pk)
    if job.status != ContributionImport.Status.CHECKED:
        raise ValidationError("This file has already been dealt with.", code="decided")
    if mode == ContributionImport.Mode.VALID_ROWS and job.valid_rows:
        job.mode, job.status = mode, ContributionImport.Status.PENDING
        job.save(update_fields=["mode", "status"])
        outbox.job_enqueue("programmes.contribution_import_run", job.pk)
        return job
    job.mode, job.status, job.finished_at = (
        ContributionImport.Mode.ALL_OR_NOTHING,
        ContributionImport.Status.CANCELLED,
        timezone.now(),
    )
    _drop_file(job)
    job.save(update_fields=["mode", "status", "finished_at", "file"])
    return job


def import_run(*, import_id: int) -> ContributionImport | None:
    """Import the file's valid rows, counting progress for the page. Safe to run twice: only a
    pending import starts, and rows already imported are skipped by their key."""
    started = ContributionImport.objects.filter(pk=import_id, status=ContributionImport.Status.PENDING).update(
        status=ContributionImport.Status.RUNNING
    )
    if not started:
        return None
    job = ContributionImport.objects.select_related("session", "uploaded_by").get(pk=import_id)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        checked = imports.check(session=job.session, data=data, name=job.file_name)

        def progress(done):
            ContributionImport.objects.filter(pk=import_id).update(rows_done=done)

        created, skipped = imports.save_rows(
            actor=job.uploaded_by, session=job.session, rows=checked.valid, progress=progress
        )
        _drop_file(job)
        ContributionImport.objects.filter(pk=import_id).update(
            status=ContributionImport.Status.DONE,
            created_rows=created,
            skipped_rows=skipped,
            rows_done=len(checked.valid),
            file="",
            finished_at=timezone.now(),
        )
    except Exception as exc:
        log.exception("Contribution import %s failed", import_id)
        ContributionImport.objects.filter(pk=import_id).update(
            status=ContributionImport.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    return ContributionImport.objects.get(pk=import_id)


def rejects(job: ContributionImport) -> bytes | None:
    """The refused rows, while the uploaded file is still kept (until the import runs)."""
    if not job.file:
        return None
    with job.file.open("rb") as handle:
        data = handle.read()
    return imports.rejects_csv(imports.check(session=job.session, data=data, name=job.file_name))


def _drop_file(job: ContributionImport) -> None:
    if job.file:
        job.file.storage.delete(job.file.name)
        job.file = ""
