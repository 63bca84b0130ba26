"""Engagement reports: what Londoners said, by programme, borough and week, for a chosen period.

Every figure comes from a fixed set of queries (ten), however much activity the period holds.
Only published posts count; announcement threads (programme updates) are not "new threads", but
residents' comments on them are comments.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.boroughs import Borough
from accounts.models import User
from accounts.roles import Role
from talkhealth import figures
from forums.models import Comment, CommentLike, Report, TaggedThread, Thread, ThreadLike, Visibility

from ..contributions.selectors import OfflineFigures, offline_figures
from ..events.models import EventAttendance
from ..polls.models import PollBallot


@dataclass
class Week:
    start: date
    threads: int = 0
    comments: int = 0

    @property
    def total(self) -> int:
        return self.threads + self.comments


@dataclass
class BoroughShare:
    """Participants from one borough. Pages show `people` and `share`, never the raw count, so a
    borough with fewer than 10 participants reads "fewer than 10" and its share is withheld."""

    borough: str
    label: str
    participants: int
    total: int

    @property
    def people(self) -> str:
        return figures.people(self.participants)

    @property
    def share(self) -> str:
        return figures.percent(self.participants, self.total)

    @property
    def is_small(self) -> bool:
        return figures.is_small(self.participants)


@dataclass
class EngagementReport:
    programme: object
    start: date
    end: date
    participants: int = 0
    new_threads: int = 0
    comments: int = 0
    likes: int = 0
    poll_votes: int = 0
    threads_with_official: int = 0
    median_first_staff_response: timedelta | None = None
    staff_responses_timed: int = 0
    reports: int = 0
    weeks: list[Week] = field(default_factory=list)
    boroughs: list[BoroughShare] = field(default_factory=list)
    top_tags: list[tuple[str, str, int]] = field(default_factory=list)
    offline: OfflineFigures = field(default_factory=OfflineFigures)

    @property
    def all_contributions(self) -> int:
        """Online posts and offline contributions together."""
        return self.posts + self.offline.contributions

    @property
    def official_share(self) -> int:
        return round(self.threads_with_official * 100 / self.new_threads) if self.new_threads else 0

    @property
    def median_response_words(self) -> str:
        return duration_words(self.median_first_staff_response) if self.median_first_staff_response else ""

    @property
    def posts(self) -> int:
        return self.new_threads + self.comments

    @property
    def report_rate(self) -> float:
        """Reports per 100 posts."""
        return round(self.reports * 100 / self.posts, 1) if self.posts else 0.0


def duration_words(value: timedelta) -> str:
    """ "2 days 3 hours", "5 hours 20 minutes", "12 minutes": the two largest units."""
    seconds = int(value.total_seconds())
    parts = []
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count or parts:
            parts.append((count, name))
    parts = [(n, name) for n, name in parts[:2] if n]
    return " ".join(f"{n} {name}{'' if n == 1 else 's'}" for n, name in parts) or "under a minute"


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """London midnight at the start of `start` to London midnight after `end`."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def engagement_report(*, start: date, end: date, programme=None) -> EngagementReport:
    since, until = period_bounds(start, end)
    report = EngagementReport(programme=programme, start=start, end=end)
    where = {"board__programme": programme} if programme is not None else {}
    in_period = {"created_at__gte": since, "created_at__lt": until}

    threads = Thread.objects.filter(visibility=Visibility.PUBLISHED, board__accepts_threads=True, **where, **in_period)
    staff_reply = Q(
        comments__author__groups__name=Role.STAFF.group_name,
        comments__visibility=Visibility.PUBLISHED,
        comments__is_deleted=False,
    )
    rows = list(
        threads.annotate(first_staff=Min("comments__created_at", filter=staff_reply))
        .order_by()
        .values_list("created_at", "official_response_id", "first_staff")
    )
    report.new_threads = len(rows)
    report.threads_with_official = sum(1 for _, official, _ in rows if official)
    waits = [first - created for created, _, first in rows if first is not None]
    report.staff_responses_timed = len(waits)
    if waits:
        report.median_first_staff_response = timedelta(seconds=statistics.median(w.total_seconds() for w in waits))

    comments = Comment.objects.filter(
        visibility=Visibility.PUBLISHED,
        is_deleted=False,
        offline_marker="",
        **{f"thread__{k}": v for k, v in where.items()},
        **in_period,
    )
    report.comments = comments.count()
    report.likes = (
        CommentLike.objects.filter(**{f"comment__thread__{k}": v for k, v in where.items()}, **in_period).count()
        + ThreadLike.objects.filter(**{f"thread__{k}": v for k, v in where.items()}, **in_period).count()
    )
    polls = {"poll__programme": programme} if programme is not None else {}
    ballots = PollBallot.objects.filter(**polls, **in_period)
    report.poll_votes = ballots.count()
    report.reports = Report.objects.filter(
        **({"item__programme": programme} if programme is not None else {}), **in_period
    ).count()

    report.offline = offline_figures(since=start, until=end + timedelta(days=1), programme=programme)
    _weeks(report, threads, comments, since, until)
    _boroughs(report, programme, since, until, where, polls)
    report.top_tags = list(
        TaggedThread.objects.filter(object_id__in=threads.values("id"))
        .values_list("tag__name", "tag__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "tag__name")[:10]
    )
    return report


def _weeks(report, threads, comments, since, until) -> None:
    """Posts per week (weeks start on Monday), with empty weeks shown as nought."""
    first = timezone.localtime(since).date() - timedelta(days=timezone.localtime(since).weekday())
    weeks: dict[date, Week] = {}
    day = first
    while day < timezone.localtime(until).date():
        weeks[day] = Week(start=day)
        day += timedelta(days=7)
    for attr, queryset in (("threads", threads), ("comments", comments)):
        for week, n in (
            queryset.annotate(week=TruncWeek("created_at")).order_by().values_list("week").annotate(n=Count("id"))
        ):
            key = week.date() if isinstance(week, datetime) else week
            if key in weeks:
                setattr(weeks[key], attr, n)
    report.weeks = list(weeks.values())


def _boroughs(report, programme, since, until, where, polls) -> None:
    """Participants: everyone who started a discussion, commented, liked, voted or booked an event
    in the period, once each, grouped by the borough on their profile."""
    in_period = {"created_at__gte": since, "created_at__lt": until}
    took_part = (
        Q(pk__in=Thread.objects.filter(visibility=Visibility.PUBLISHED, **where, **in_period).values("author_id"))
        | Q(
            pk__in=Comment.objects.filter(
                visibility=Visibility.PUBLISHED,
                is_deleted=False,
                offline_marker="",
                **{f"thread__{k}": v for k, v in where.items()},
                **in_period,
            ).values("author_id")
        )
        | Q(
            pk__in=CommentLike.objects.filter(
                **{f"comment__thread__{k}": v for k, v in where.items()}, **in_period
            ).values("user_id")
        )
        | Q(
            pk__in=ThreadLike.objects.filter(**{f"thread__{k}": v for k, v in where.items()}, **in_period).values(
                "user_id"
            )
        )
        | Q(pk__in=PollBallot.objects.filter(**polls, **in_period).values("user_id"))
        | Q(
            pk__in=EventAttendance.objects.filter(
                **({"event__programme": programme} if programme is not None else {}), **in_period
            ).values("user_id")
        )
    )
    counts = dict(User.objects.filter(took_part).order_by().values_list("borough").annotate(n=Count("id")))
    report.participants = sum(counts.values())
    labels = dict(Borough.choices)
    report.boroughs = [
        BoroughShare(
            borough=b,
            label=labels.get(b, "Not given"),
            participants=n,
            total=report.participants,
        )
        for b, n in sorted(counts.items(), key=lambda item: (-item[1], item[0] == "", labels.get(item[0], "")))
    ]
