"""Discovery and suggestion runs: staff ask, a job on the "analysis" queue does the arithmetic, and
staff decide what becomes of each proposal. Each run is stored with its corpus hash, parameters,
package versions and duration, so it can be repeated and checked."""

import logging
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talkhealth import outbox

from ..contributions.corpus import corpus_items
from . import analysis
from .models import Coding, CodingStatus, DiscoveryRun, ProposedTheme, Theme, ThemeChange, ThemeStatus
from .services import audit, require, theme_create

log = logging.getLogger(__name__)
K_MAX = 30


def _bounds(start, end):
    """Dates as the corpus wants them: [start at midnight, the day after end at midnight)."""
    tz = timezone.get_current_timezone()
    low = timezone.make_aware(datetime.combine(start, time.min), tz) if start else None
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz) if end else None
    return low, high


def corpus(programme, *, start=None, end=None):
    """The items a run analyses, with their keys and texts in a fixed order."""
    low, high = _bounds(start, end)
    items = corpus_items(programme=programme, start=low, end=high)
    return items, [i.key for i in items], [i.text for i in items]


@transaction.atomic
def run_request(
    *, actor, programme, job: str = DiscoveryRun.Job.DISCOVER, k=None, start=None, end=None
) -> DiscoveryRun:
    """Ask for a run; the page shows its progress while the job works."""
    require(actor)
    if k is not None and not 2 <= k <= K_MAX:
        raise ValidationError({"k": f"Choose between 2 and {K_MAX} themes, or leave it empty."})
    if start and end and start > end:
        raise ValidationError({"end": "The end date must be on or after the start date."})
    run = DiscoveryRun.objects.create(
        programme=programme, job=job, requested_by=actor, k_requested=k, start=start, end=end
    )
    outbox.job_enqueue("themes.run", run.pk)
    return run


def _progress(run_id: int):
    def report(done: int, total: int) -> None:
        DiscoveryRun.objects.filter(pk=run_id).update(steps_done=done, steps_total=total)

    return report


def run_execute(*, run_id: int) -> DiscoveryRun | None:
    """Do the run's work. Safe to deliver twice: only a pending run starts."""
    if not DiscoveryRun.objects.filter(pk=run_id, status=DiscoveryRun.Status.PENDING).update(
        status=DiscoveryRun.Status.RUNNING
    ):
        return None
    run = DiscoveryRun.objects.select_related("programme").get(pk=run_id)
    try:
        _, keys, texts = corpus(run.programme, start=run.start, end=run.end)
        fields = {
            "corpus_size": len(keys),
            "corpus_sha256": analysis.corpus_hash(keys, texts),
            "versions": analysis.versions(),
        }
        if run.job == DiscoveryRun.Job.DISCOVER:
            fields.update(_discover(run, keys, texts))
        else:
            fields.update(_suggest(run, keys, texts))
        DiscoveryRun.objects.filter(pk=run_id).update(
            status=DiscoveryRun.Status.DONE, finished_at=timezone.now(), **fields
        )
    except Exception as exc:
        log.exception("Theme run %s failed", run_id)
        DiscoveryRun.objects.filter(pk=run_id).update(
            status=DiscoveryRun.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    return DiscoveryRun.objects.get(pk=run_id)


def _discover(run, keys, texts) -> dict:
    if len(keys) < 10:
        raise ValueError("Too few contributions to look for themes: at least 10 are needed.")
    found = analysis.discover(keys, texts, k=run.k_requested, progress=_progress(run.pk))
    ProposedTheme.objects.bulk_create(
        ProposedTheme(
            run=run, index=t.index, terms=t.terms, suggested_name=t.name[:120], examples=t.examples, size=t.size
        )
        for t in found.themes
    )
    return {
        "k": found.k,
        "stability": {str(k): v for k, v in found.stability.items()},
        "parameters": found.parameters,
        "duration_ms": found.duration_ms,
    }


def _suggest(run, keys, texts) -> dict:
    """Replace the programme's open suggestions with a fresh set."""
    started = timezone.now()
    rows = Coding.objects.filter(programme=run.programme, theme__status=ThemeStatus.ACTIVE).values_list(
        "kind", "item_pk", "theme_id", "status"
    )
    coded: dict[str, set[int]] = {}
    rejected: dict[int, set[str]] = {}
    for kind, pk, theme_id, status in rows:
        if status == CodingStatus.CONFIRMED:
            coded.setdefault(f"{kind}:{pk}", set()).add(theme_id)
        elif status == CodingStatus.REJECTED:
            rejected.setdefault(theme_id, set()).add(f"{kind}:{pk}")
    _progress(run.pk)(1, 2)
    found = analysis.suggest(keys, texts, coded=coded, rejected=rejected)
    with transaction.atomic():
        Coding.objects.filter(programme=run.programme, status=CodingStatus.SUGGESTED).delete()
        Coding.objects.bulk_create(
            [
                Coding(
                    programme=run.programme,
                    theme_id=s.theme_id,
                    kind=s.key.split(":")[0],
                    item_pk=int(s.key.split(":")[1]),
                    status=CodingStatus.SUGGESTED,
                    confidence=s.confidence,
                )
                for s in found
            ],
            ignore_conflicts=True,
        )
    return {
        "parameters": {
            "model": "logistic_regression",
            "min_coded": analysis.SUGGEST_MIN_CODED,
            "confidence": analysis.DEFAULT_CONFIDENCE,
            "C": 4.0,
            "class_weight": "balanced",
            "random_state": analysis.RANDOM_STATE,
        },
        "duration_ms": int((timezone.now() - started).total_seconds() * 1000),
        "steps_done": 2,
        "steps_total": 2,
    }


def _open_proposal(proposal: ProposedTheme) -> ProposedTheme:
    proposal = ProposedTheme.objects.select_for_update().select_related("run__programme").get(pk=proposal.pk)
    if proposal.status != ProposedTheme.Status.PROPOSED:
        raise ValidationError("This proposal has already been decided.")
    return proposal


@transaction.atomic
def proposal_accept(*, actor, proposal: ProposedTheme, name: str = "", description: str = "") -> Theme:
    """Make a proposal a theme, under the name staff give it (the suggested one otherwise)."""
    require(actor)
    proposal = _open_proposal(proposal)
    theme = theme_create(
        actor=actor,
        programme=proposal.run.programme,
        name=name or proposal.suggested_name,
        description=description or f"Top terms: {', '.join(proposal.terms)}.",
    )
    audit(
        theme,
        actor,
        ThemeChange.Action.ACCEPTED,
        f"From discovery run {proposal.run_id}, proposal {proposal.index + 1}.",
    )
    proposal.status, proposal.theme, proposal.decided_by = ProposedTheme.Status.ACCEPTED, theme, actor
    proposal.save(update_fields=["status", "theme", "decided_by"])
    return theme


@transaction.atomic
def proposal_merge(*, actor, proposal: ProposedTheme, theme: Theme) -> Theme:
    """Count a proposal as part of an existing theme."""
    require(actor)
    proposal = _open_proposal(proposal)
    if theme.programme_id != proposal.run.programme_id or not theme.is_active:
        raise ValidationError({"theme": "Choose a theme of this programme that is in use."})
    proposal.status, proposal.theme, proposal.decided_by = ProposedTheme.Status.MERGED, theme, actor
    proposal.save(update_fields=["status", "theme", "decided_by"])
    audit(
        theme,
        actor,
        ThemeChange.Action.MERGED,
        f"Proposal “{proposal.suggested_name}” from discovery run {proposal.run_id} merged in.",
    )
    return theme


@transaction.atomic
def proposal_discard(*, actor, proposal: ProposedTheme) -> ProposedTheme:
    require(actor)
    proposal = _open_proposal(proposal)
    proposal.status, proposal.decided_by = ProposedTheme.Status.DISCARDED, actor
    proposal.save(update_fields=["status", "decided_by"])
    return proposal
