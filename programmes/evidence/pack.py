"""What goes into an evidence pack: one programme, one period, every section read once.

"Who took part" is `selectors.representativeness`, the very function behind the staff page, so
the pack and the page cannot disagree. Counts of people go through talkhealth.figures wherever
they are shown. "What was heard" is read through the selectors of the staff theme pages
(programmes.themes.selectors.crosstabs), so its counts are the counts page's; sessions are the
EngagementSession rows held in the period, with the support provided.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Notification, NotificationCategory
from forums.models import Thread, ThreadStatus, Visibility
from forums.moderation.models import ModerationAction, Report

from ..contributions.corpus import corpus_keys
from ..themes.public import live_quotes
from ..contributions.models import EngagementSession
from ..events.models import Event
from ..polls.models import Poll
from ..reports.selectors import period_bounds
from ..themes import groups as theme_groups
from ..themes import selectors as theme_selectors
from ..updates.models import Update, UpdateStatus
from . import baseline, selectors

METHOD = [
    "Contributions are the discussions residents started and the comments they posted on Talk Health in the "
    "period (published and not deleted; official responses and programme announcements are not counted), and, "
    "where sessions were held, what people said at them as recorded by partnership staff.",
    "Participants are the distinct people behind those contributions. Each counts once, with the borough and "
    "equality answers they had when they took part. The equality questions are optional, so each breakdown "
    "counts only those who answered.",
    "Participation is compared with Census 2021 usual residents of London. A group is under-heard when its share "
    "of participants is below half its share of London.",
    "Themes are coded by partnership staff against the programme's codebook. Suggestions from software count "
    "only once a person has confirmed them.",
]
LIMITATIONS = [
    "Participants chose to take part: they are a self-selecting group, not a representative sample, and what "
    "they said cannot be taken as the view of all Londoners.",
    "Counts of fewer than 10 people are shown as “fewer than 10”, and shares worked out from them are not shown, "
    "so that no one can be identified.",
    *baseline.CAVEATS,
]


# The cross-tabs of "What was heard": online or offline, borough, then the equality groups.
THEME_DIMENSIONS = ["source", "borough", *theme_groups.DIMENSIONS]


@dataclass
class Theme:
    """A theme in use with its coded contributions in the period (as the counts page shows them)
    and the quotes staff chose from the period, each (words, anonymous attribution)."""

    name: str
    contributions: str
    quotes: list[tuple[str, str]] = field(default_factory=list)
    quoted_keys: list[str] = field(default_factory=list)  # the items quoted ("comment:12")


@dataclass
class PackData:
    programme: object
    start: date
    end: date
    generated_at: datetime
    who: selectors.Representativeness
    updates: list[tuple[str, datetime, str]] = field(default_factory=list)  # title, published, url
    polls: list[tuple[str, datetime, datetime, int]] = field(default_factory=list)  # question, opens, closes, voters
    events: list[tuple[str, datetime, str, int]] = field(default_factory=list)  # title, starts, borough, booked
    sessions: list[dict] = field(default_factory=list)  # title, kind, date, borough, attended, support
    contributions: dict[str, int] = field(default_factory=dict)  # by kind: thread, comment, offline
    themes: list[Theme] = field(default_factory=list)
    theme_tables: list = field(default_factory=list)  # programmes.themes.selectors.CrossTab, one a dimension
    responded: int = 0  # new discussions with an official response
    changed: list[tuple[str, str]] = field(default_factory=list)  # title, url of discussions that led to a change
    notified: int = 0  # distinct people sent an official response or outcome
    reports: int = 0
    taken_down: int = 0
    source: str = baseline.SOURCE
    method: list[str] = field(default_factory=lambda: list(METHOD))
    limitations: list[str] = field(default_factory=lambda: list(LIMITATIONS))

    @property
    def support(self) -> str:
        """The support provided at the sessions, each kind once: "British Sign Language, Hearing loop"."""
        offered = []
        for s in self.sessions:
            offered += [o for o in s["support"].split(", ") if o and o not in offered]
        return ", ".join(offered)

    @property
    def quoted_keys(self) -> list[str]:
        """Every item the pack quotes: if one is taken down or withdrawn, the pack is rebuilt."""
        return sorted({key for theme in self.themes for key in theme.quoted_keys})

    @property
    def title(self) -> str:
        return f"Evidence pack: {self.programme.short_name}, {self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def pack_themes(*, programme, start: date, end: date) -> tuple[list[Theme], list]:
    """The themes in use with their confirmed codes in [start, end] (London days), the cross-tabs by
    THEME_DIMENSIONS and the quotes chosen from items of the period: read through the counts
    page's selectors, so every figure is the page's for the same period and dimension."""
    tables = theme_selectors.crosstabs(programme, dimensions=THEME_DIMENSIONS, start=start, end=end)
    if not tables[0].rows:
        return [], []
    since, until = period_bounds(start, end)
    in_period = {k.key for k in corpus_keys(programme=programme, start=since, end=until)}
    quotes: dict[int, list[tuple[str, str]]] = {}
    keys: dict[int, list[str]] = {}
    for live in live_quotes(theme_selectors.quotes_in_use(programme), programme):
        key = f"{live.quote.kind}:{live.quote.item_pk}"
        if key in in_period:
            quotes.setdefault(live.quote.theme_id, []).append((live.text, live.quote.attribution))
            keys.setdefault(live.quote.theme_id, []).append(key)
    themes = [
        Theme(name=t.name, contributions=total, quotes=quotes.get(t.pk, []), quoted_keys=keys.get(t.pk, []))
        for t, _, total in tables[0].rows
    ]
    return themes, tables


def pack_sessions(*, programme, since: datetime, until: datetime) -> list[dict]:
    """Engagement sessions held for the programme in the period, with the support provided."""
    rows = EngagementSession.objects.filter(
        programmes=programme, date__gte=timezone.localtime(since).date(), date__lt=timezone.localtime(until).date()
    ).order_by("date", "pk")
    return [
        {
            "title": s.title,
            "kind": s.get_kind_display(),
            "date": s.date,
            "borough": s.get_borough_display() if s.borough else "",
            "attended": s.attendance,
            "support": ", ".join(str(offered) for offered in s.support),
        }
        for s in rows
    ]


def pack_data(*, programme, start: date, end: date) -> PackData:
    """Every section of the pack for `programme` in [start, end] (London days)."""
    since, until = period_bounds(start, end)
    in_period = {"created_at__gte": since, "created_at__lt": until}
    data = PackData(
        programme=programme,
        start=start,
        end=end,
        generated_at=timezone.now(),
        who=selectors.representativeness(programme=programme, start=start, end=end),
    )
    data.updates = [
        (u.title, u.published_at, u.get_absolute_url())
        for u in Update.objects.filter(
            programme=programme, status=UpdateStatus.PUBLISHED, published_at__gte=since, published_at__lt=until
        )
        .select_related("programme")
        .order_by("published_at")
    ]
    data.polls = list(
        Poll.objects.filter(programme=programme, opens_at__lt=until, closes_at__gte=since)
        .annotate(voters=Count("ballots"))
        .order_by("opens_at")
        .values_list("question", "opens_at", "closes_at", "voters")
    )
    data.events = [
        (title, starts, dict(Event._meta.get_field("borough").choices).get(borough, ""), booked)
        for title, starts, borough, booked in Event.objects.filter(
            programme=programme, starts_at__gte=since, starts_at__lt=until
        )
        .order_by("starts_at")
        .values_list("title", "starts_at", "borough", "attendee_count")
    ]
    data.sessions = pack_sessions(programme=programme, since=since, until=until)
    data.contributions = data.who.kinds
    data.themes, data.theme_tables = pack_themes(programme=programme, start=start, end=end)
    threads = Thread.objects.filter(board__programme=programme, visibility=Visibility.PUBLISHED)
    data.responded = threads.filter(official_response__isnull=False, board__accepts_threads=True, **in_period).count()
    data.changed = [
        (t.title, t.get_absolute_url())
        for t in threads.filter(
            status=ThreadStatus.CHANGED, status_changed_at__gte=since, status_changed_at__lt=until
        ).order_by("status_changed_at")
    ]
    data.notified = (
        Notification.objects.filter(
            category=NotificationCategory.OFFICIAL_RESPONSE, section=programme.short_name, **in_period
        )
        .values("recipient")
        .distinct()
        .count()
    )
    data.reports = Report.objects.filter(item__programme=programme, **in_period).count()
    data.taken_down = ModerationAction.objects.filter(
        Q(kind=ModerationAction.Kind.HIDE) | Q(kind=ModerationAction.Kind.REMOVE), programme=programme, **in_period
    ).count()
    return data
