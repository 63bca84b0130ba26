"""Writes for evidence packs: ask for one, build it (a Celery job, or in the foreground from the
command line), publish its summary. Each checks its own permission."""

import logging
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from talkhealth import outbox

from ..pagetags import programme_changed
from . import render
from .models import EvidencePack
from .pack import pack_data

log = logging.getLogger(__name__)
FILES = ("pack.html", "pack.docx", "tables.zip")


@transaction.atomic
def evidence_pack_request(*, actor, programme, start: date, end: date) -> EvidencePack:
    """Ask for a pack; a Celery job builds it and its page shows the progress."""
    if not actor.has_perm("programmes.build_evidence_pack"):
        raise PermissionDenied("Only partnership staff can build evidence packs.")
    if end < start:
        raise ValidationError("The end date must be on or after the start date.", code="period")
    pack = EvidencePack.objects.create(programme=programme, start=start, end=end, requested_by=actor)
    outbox.job_enqueue("programmes.evidence_pack_build", pack.pk)
    return pack


def evidence_pack_files(*, programme, start: date, end: date, progress=lambda percent, step: None) -> dict:
    """The three files of a pack, {name: bytes}, plus the report body ("body"), from one reading."""
    progress(5, "Counting who took part")
    data = pack_data(programme=programme, start=start, end=end)
    progress(50, "Writing the web page")
    body = render.body_html(data)
    files = {"body": body, "quoted_keys": data.quoted_keys, "pack.html": render.html_document(data, body).encode()}
    progress(70, "Writing the Word document")
    files["pack.docx"] = render.docx_bytes(data)
    progress(90, "Writing the CSV tables")
    files["tables.zip"] = render.tables_zip(data)
    return files


def evidence_pack_build(*, pack_id: int) -> EvidencePack | None:
    """Build a pending pack into a draft for staff to review. Safe to run twice: only a pending
    pack is started."""
    if not EvidencePack.objects.filter(pk=pack_id, status=EvidencePack.Status.PENDING).update(
        status=EvidencePack.Status.RUNNING
    ):
        return None
    pack = EvidencePack.objects.select_related("programme").get(pk=pack_id)

    def progress(percent: int, step: str) -> None:
        EvidencePack.objects.filter(pk=pack_id).update(progress=percent, step=step)

    try:
        files = evidence_pack_files(programme=pack.programme, start=pack.start, end=pack.end, progress=progress)
        stem = f"talk-health-evidence-{pack.programme.slug}-{pack.start:%Y%m%d}-{pack.end:%Y%m%d}-{pack.pk}"
        for field, name in (("html", "pack.html"), ("docx", "pack.docx"), ("tables", "tables.zip")):
            getattr(pack, field).save(f"{stem}{Path(name).suffix}", ContentFile(files[name]), save=False)
        EvidencePack.objects.filter(pk=pack_id).update(
            html=pack.html.name, docx=pack.docx.name, tables=pack.tables.name, body_html=files["body"],
            quoted_keys=files["quoted_keys"], progress=100, built_at=timezone.now(),
            # A published pack rebuilt because words in it were taken down is published again.
            status=EvidencePack.Status.PUBLISHED if pack.published_at else EvidencePack.Status.DRAFT,
            step="Published" if pack.published_at else "Ready for review",
        )
    except Exception as exc:
        log.exception("Evidence pack %s failed", pack_id)
        EvidencePack.objects.filter(pk=pack_id).update(status=EvidencePack.Status.FAILED, error=str(exc)[:300])
        raise
    return EvidencePack.objects.get(pk=pack_id)


def evidence_pack_write(*, programme, start: date, end: date, out: Path) -> list[Path]:
    """The same pack in the foreground, written to `out` as pack.html, pack.docx and tables.zip."""
    out.mkdir(parents=True, exist_ok=True)
    files = evidence_pack_files(programme=programme, start=start, end=end)
    written = []
    for name in FILES:
        path = out / name
        path.write_bytes(files[name])
        written.append(path)
    return written


@transaction.atomic
def evidence_packs_words_taken_down(*, keys) -> int:
    """Contributions were taken down, deleted or withdrawn: every pack that quotes one loses its
    files and report now (they hold the words) and is rebuilt without them by a Celery job; a
    published summary is withheld until then and published again after. Returns how many packs."""
    keys = set(keys)
    if not keys:
        return 0
    quoting = [
        pk for pk, quoted in EvidencePack.objects.exclude(quoted_keys=[]).values_list("pk", "quoted_keys")
        if keys & set(quoted)
    ]  # fmt: skip
    for pack in EvidencePack.objects.select_for_update().filter(pk__in=quoting).select_related("programme"):
        for field in ("html", "docx", "tables"):
            if getattr(pack, field):
                getattr(pack, field).delete(save=False)
        EvidencePack.objects.filter(pk=pack.pk).update(
            html="", docx="", tables="", body_html="", quoted_keys=[], status=EvidencePack.Status.PENDING,
            progress=0, step="Being rebuilt: words it quoted were taken down",
        )
        outbox.job_enqueue("programmes.evidence_pack_build", pack.pk)
        if pack.published_at:
            programme_changed(pack.programme)
    return len(quoting)


@transaction.atomic
def evidence_pack_publish(*, actor, pack: EvidencePack) -> EvidencePack:
    """After review, staff publish the pack's report as a public summary on the programme hub, so
    residents see what came of taking part."""
    if not actor.has_perm("programmes.publish_evidence_pack"):
        raise PermissionDenied("Only partnership staff can publish an evidence summary.")
    pack = EvidencePack.objects.select_for_update().get(pk=pack.pk)
    if pack.status != EvidencePack.Status.DRAFT:
        raise ValidationError("Only a built draft can be published.", code="not_draft")
    pack.status, pack.published_at, pack.published_by = EvidencePack.Status.PUBLISHED, timezone.now(), actor
    pack.save(update_fields=["status", "published_at", "published_by"])
    programme_changed(pack.programme)
    return pack
