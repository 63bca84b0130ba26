"""Reads for polls: a fixed number of queries however many polls, answers and votes there are."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.boroughs import Borough
from talkhealth import figures

from ..updates.models import UpdateStatus
from .models import Poll, PollBallot, PollChoice, PollVote


@dataclass
class PollView:
    """A poll as one person sees it. Results show once they have voted, once it closes, or to staff."""

    poll: Poll
    choices: list[PollChoice]
    ballots: int
    voted_for: set[int] = field(default_factory=set)
    has_voted: bool = False
    is_open: bool = False
    is_closed: bool = False
    not_yet_open: bool = False
    can_vote: bool = False
    show_results: bool = False


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def _views(polls, user, limit: int = 10) -> list[PollView]:
    polls = list(
        polls.annotate(ballot_total=Count("ballots")).prefetch_related(
            Prefetch(
                "choices", queryset=PollChoice.objects.annotate(vote_total=Count("votes")).order_by("position", "id")
            )
        )[:limit]
    )
    voted: dict[int, set[int]] = {}
    if user.is_authenticated and polls:
        for poll_id, choice_id in PollVote.objects.filter(
            ballot__user=user, ballot__poll__in=[p.pk for p in polls]
        ).values_list("ballot__poll_id", "choice_id"):
            voted.setdefault(poll_id, set()).add(choice_id)
    now = timezone.now()
    may_vote = user.has_perm("programmes.vote_poll")
    staff = user.has_perm("programmes.view_poll_boroughs")
    views = []
    for poll in polls:
        choices = list(poll.choices.all())
        for choice in choices:
            choice.percent = _percent(choice.vote_total, poll.ballot_total)
        view = PollView(
            poll=poll,
            choices=choices,
            ballots=poll.ballot_total,
            voted_for=voted.get(poll.pk, set()),
            has_voted=poll.pk in voted,
            is_open=poll.is_open(now),
            is_closed=poll.is_closed(now),
            not_yet_open=now < poll.opens_at,
        )
        view.can_vote = view.is_open and not view.has_voted and may_vote
        view.show_results = view.has_voted or view.is_closed or staff
        views.append(view)
    return views


def polls_for_display(*, user, update=None, programme=None, limit: int = 10) -> list[PollView]:
    """The polls inside an update, or a programme's polls that have opened, newest first."""
    polls = Poll.objects.select_related("programme").order_by("-opens_at", "-id")
    if update is not None:
        polls = polls.filter(update=update)
    else:
        polls = polls.filter(programme=programme, opens_at__lte=timezone.now())
    return _views(polls, user, limit)


def poll_view(*, poll: Poll, user) -> PollView:
    return _views(Poll.objects.select_related("programme").filter(pk=poll.pk), user)[0]


def poll_for_page(*, slug: str, pk: int, user=None) -> Poll:
    """A poll is public once it has opened and the update it sits in, if any, is published; until
    then it is as missing as a poll that does not exist, except to partnership staff."""
    polls = Poll.objects.select_related("programme", "update")
    if user is None or not user.has_perm("programmes.change_poll"):
        polls = polls.filter(
            Q(update__isnull=True) | Q(update__status=UpdateStatus.PUBLISHED), opens_at__lte=timezone.now()
        )
    return get_object_or_404(polls, pk=pk, programme__slug=slug)


def polls_for_staff(*, programme=None) -> list[Poll]:
    polls = Poll.objects.select_related("programme").annotate(ballot_total=Count("ballots"))
    if programme is not None:
        polls = polls.filter(programme=programme)
    return list(polls.order_by("-opens_at", "-id")[:200])


@dataclass
class BoroughRow:
    """One borough's votes. Only `voters` and `cells` are for display: they follow talkhealth.figures,
    so "Croydon: 1 voter, Yes 100%" shows as "fewer than 10" throughout."""

    borough: str
    label: str
    ballots: int
    counts: list[int]  # votes for each answer, in answer order

    @property
    def voters(self) -> str:
        return figures.people(self.ballots)

    @property
    def cells(self) -> list[str]:
        """Each answer as "12 (40%)", or "fewer than 10" where the votes or the borough are small."""
        return [
            figures.FEWER_THAN if figures.share(votes, self.ballots) is None
            else f"{figures.people(votes)} ({figures.percent(votes, self.ballots)})"
            for votes in self.counts
        ]


def results_by_borough(*, poll: Poll, choices: list[PollChoice]) -> list[BoroughRow]:
    """Votes for each answer in each borough (people with no borough set count as "Not given"). Two queries."""
    ballots = dict(PollBallot.objects.filter(poll=poll).values_list("borough").annotate(n=Count("id")).order_by())
    votes: dict[tuple[str, int], int] = {
        (borough, choice_id): n
        for borough, choice_id, n in PollVote.objects.filter(ballot__poll=poll)
        .values_list("ballot__borough", "choice_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    labels = dict(Borough.choices)
    rows = []
    for borough in sorted(ballots, key=lambda b: (b == "", labels.get(b, b))):
        total = ballots[borough]
        counts = [votes.get((borough, c.pk), 0) for c in choices]
        rows.append(BoroughRow(borough=borough, label=labels.get(borough, "Not given"), ballots=total, counts=counts))
    return rows


def open_polls(*, programme=None, limit: int = 5) -> list[Poll]:
    """Polls taking votes now, closing soonest first."""
    now = timezone.now()
    polls = Poll.objects.select_related("programme").filter(opens_at__lte=now, closes_at__gt=now)
    if programme is not None:
        polls = polls.filter(programme=programme)
    return list(
        polls.only("id", "question", "closes_at", "programme__slug", "programme__short_name").order_by("closes_at")[
            :limit
        ]
    )
