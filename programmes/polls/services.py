"""Writes for polls: keyword-only, one transaction each, permission checked inside."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone


from .. import pagetags
from ..models import Programme
from .models import Poll, PollBallot, PollChoice, PollKind, PollVote

MAX_CHOICES = 12


def _clean(*, programme, question, kind, opens_at, closes_at, choices, update) -> tuple[dict, list[str]]:
    errors = {}
    question = " ".join((question or "").split())
    choices = [" ".join(c.split()) for c in choices or [] if c and c.strip()]
    if not question:
        errors["question"] = "Write the question."
    if kind not in PollKind.values:
        errors["kind"] = "Choose whether people pick one answer or several."
    if len(choices) < 2:
        errors["choices"] = "Give at least two answers, one on each line."
    elif len(choices) > MAX_CHOICES:
        errors["choices"] = f"Give at most {MAX_CHOICES} answers."
    elif len({c.lower() for c in choices}) != len(choices):
        errors["choices"] = "Each answer must be different."
    elif any(len(c) > 200 for c in choices):
        errors["choices"] = "Each answer can be at most 200 characters."
    if opens_at is None:
        errors["opens_at"] = "Enter when the poll opens."
    if closes_at is None:
        errors["closes_at"] = "Enter when the poll closes."
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = "The poll must close after it opens."
    if update is not None and programme is not None and update.programme_id != programme.pk:
        errors["update"] = "Choose an update from the same programme, or none."
    if errors:
        raise ValidationError(errors)
    return {
        "question": question,
        "kind": kind,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "update": update,
    }, choices


@transaction.atomic
def poll_save(
    *,
    actor,
    programme: Programme,
    question: str,
    kind: str,
    opens_at: datetime,
    closes_at: datetime,
    choices: list[str],
    description: str = "",
    update=None,
    poll: Poll | None = None,
) -> Poll:
    """Create a poll, or change one. Its answers can change only until the first vote, so nobody's
    vote ends up counted for an answer they did not choose."""
    if not actor.has_perm("programmes.change_poll"):
        raise PermissionDenied("Only partnership staff can run polls.")
    fields, choices = _clean(
        programme=programme,
        question=question,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        choices=choices,
        update=update,
    )
    fields["description"] = (description or "").strip()
    if poll is None:
        poll = Poll.objects.create(programme=programme, created_by=actor, **fields)
    else:
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        voted = poll.ballots.exists()
        current = list(poll.choices.values_list("text", flat=True))
        if voted and (current != choices or fields["kind"] != poll.kind):
            raise ValidationError(
                {"choices": "People have already voted, so the answers and the kind of poll cannot change."}
            )
        for name, value in fields.items():
            setattr(poll, name, value)
        poll.programme = programme
        poll.save()
        if voted or current == choices:
            pagetags.programme_changed(programme)
            return poll
        poll.choices.all().delete()
    PollChoice.objects.bulk_create(PollChoice(poll=poll, text=text, position=i) for i, text in enumerate(choices))
    pagetags.programme_changed(programme)
    return poll


@transaction.atomic
def poll_vote(*, actor, poll: Poll, choice_ids: list[int]) -> PollBallot:
    """Vote once. The database's unique (poll, person) constraint is the rule: of two requests
    racing, one commits and the other is told it has already voted."""
    if not actor.has_perm("programmes.vote_poll"):
        raise PermissionDenied("Confirm your email address before voting.")
    now = timezone.now()
    if now < poll.opens_at:
        raise ValidationError("This poll has not opened yet.", code="not_open")
    if now >= poll.closes_at:
        raise ValidationError("This poll has closed.", code="closed")
    chosen = set(int(pk) for pk in choice_ids)
    valid = set(PollChoice.objects.filter(poll=poll, pk__in=chosen).values_list("pk", flat=True))
    if not chosen or valid != chosen:
        raise ValidationError(
            "Choose an answer." if not chosen else "Choose from the answers given.", code="no_choice"
        )
    if poll.kind == PollKind.SINGLE and len(chosen) > 1:
        raise ValidationError("Choose one answer.", code="one_only")
    try:
        with transaction.atomic():
            ballot = PollBallot.objects.create(poll=poll, user=actor, borough=actor.borough, created_at=now)
    except IntegrityError:
        raise ValidationError("You have already voted in this poll. Each person can vote once.", code="already_voted")
    PollVote.objects.bulk_create(PollVote(ballot=ballot, choice_id=pk) for pk in sorted(chosen))
    pagetags.programme_changed(poll.programme)
    return ballot
