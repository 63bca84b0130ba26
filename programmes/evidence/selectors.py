"""Who was heard: the people who contributed to a programme (or the whole site) in a period,
by borough, age band, sex and ethnic group, against Census 2021 London.

Participants are the distinct people behind `corpus_items` (online posts and offline
contributions). Each online person counts as they were when they took part: their latest snapshot
(accounts.EqualitySnapshot) in the period for the programme, or, if they have none (posts that
predate snapshots), their borough and answers now. An offline contribution carries its own answers.

A group is under-heard when its share of the people who answered a question is below half its
share of London. The score of a question is the lowest group's participation rate divided by the
highest's (1: every group in proportion; 0.2: the least-heard group took part at a fifth of the
rate of the best-heard); the overall score is the lowest of the four. Every count of people is
shown through talkhealth.figures, so fewer than 10 reads "fewer than 10" and shares from it are
withheld. A fixed number of queries (six), however many contributions the period holds.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import equality
from accounts.boroughs import Borough
from accounts.models import EqualitySnapshot, User
from talkhealth import figures

from ..contributions.corpus import corpus_items
from ..contributions.models import OfflineContribution
from ..reports.selectors import period_bounds
from . import baseline
from .models import EvidencePack

UNDER_HEARD = 0.5
DIMENSIONS = [
    ("borough", "Borough", "Where participants live, against residents aged 16 and over."),
    ("age", "Age", "Age in the year they took part, against residents aged 16 and over."),
    ("sex", "Sex", "Against all residents."),
    ("ethnic_group", "Ethnic group", "The five high-level Census 2021 groups, against all residents."),
]
OTHER_QUESTIONS = [("disability", equality.Disability), ("carer", equality.Carer)]


@dataclass(frozen=True)
class Person:
    """One participant as counted: the answers that stand for them in this period."""

    key: str
    source: str  # "online" | "offline"
    borough: str
    age: str
    sex: str
    ethnic_group: str  # high-level group
    disability: str
    carer: str


@dataclass
class GroupRow:
    code: str
    label: str
    participants: int
    answered: int
    london_share: float | None  # share of London's baseline population, 0..1

    @property
    def people(self) -> str:
        return figures.people(self.participants)

    @property
    def share(self) -> float | None:
        return figures.share(self.participants, self.answered)

    @property
    def share_text(self) -> str:
        return figures.percent(self.participants, self.answered)

    @property
    def london_text(self) -> str:
        return f"{self.london_share * 100:.1f}%" if self.london_share is not None else ""

    @property
    def raw_ratio(self) -> float | None:
        """Share among those who answered ÷ share of London (used for flags and the score only)."""
        if not self.answered or not self.london_share:
            return None
        return (self.participants / self.answered) / self.london_share

    @property
    def ratio_text(self) -> str:
        return f"{self.share / self.london_share:.2f}" if self.share is not None and self.london_share else ""

    @property
    def under_heard(self) -> bool:
        """Below half its London share, judged only once enough people answered to say so."""
        ratio = self.raw_ratio
        return ratio is not None and not figures.is_small(self.answered) and ratio < UNDER_HEARD


@dataclass
class Dimension:
    key: str
    title: str
    note: str
    answered: int
    rows: list[GroupRow] = field(default_factory=list)

    @property
    def answered_text(self) -> str:
        return figures.people(self.answered)

    @property
    def score(self) -> float | None:
        """Lowest group participation rate ÷ highest; None until enough people answered."""
        ratios = [r.raw_ratio for r in self.rows if r.raw_ratio is not None]
        if figures.is_small(self.answered) or not ratios or max(ratios) == 0:
            return None
        return min(ratios) / max(ratios)

    @property
    def under_heard(self) -> list[GroupRow]:
        return [r for r in self.rows if r.under_heard]


@dataclass
class Representativeness:
    programme: object
    start: date
    end: date
    participants: int = 0
    online: int = 0
    offline: int = 0
    contributions: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # contributions by kind: thread, comment, offline
    dimensions: list[Dimension] = field(default_factory=list)
    others: list[Dimension] = field(default_factory=list)  # disability, carer: counts only, no baseline

    @property
    def score(self) -> float | None:
        scores = [d.score for d in self.dimensions if d.score is not None]
        return min(scores) if scores else None

    @property
    def score_text(self) -> str:
        return f"{self.score:.2f}" if self.score is not None else "Not enough answers yet"

    @property
    def weakest(self) -> Dimension | None:
        scored = [d for d in self.dimensions if d.score is not None]
        return min(scored, key=lambda d: d.score) if scored else None

    @property
    def under_heard(self) -> list[tuple[Dimension, GroupRow]]:
        return [(d, r) for d in self.dimensions for r in d.under_heard]

    def people(self, value: int) -> str:
        return figures.people(value)


def _answer(value) -> str:
    return value if equality.answered("", value) else ""


def _online_people(user_days: dict[int, date], programme, since, until) -> list[Person]:
    """Each person's latest snapshot in the period (one query), their answers now otherwise (one)."""
    snapshots = EqualitySnapshot.objects.filter(
        day__gte=timezone.localtime(since).date(), day__lt=timezone.localtime(until).date()
    )
    if programme is not None:
        snapshots = snapshots.filter(programme=programme)
    columns = ("borough", *equality.FIELDS)
    found: dict[int, tuple] = {}
    for user_id, day, *values in snapshots.order_by("day", "pk").values_list("user_id", "day", *columns):
        if user_id in user_days:
            found[user_id] = (day, *values)
    missing = [pk for pk in user_days if pk not in found]
    if missing:
        now_columns = ("borough", *(f"equality__{f}" for f in equality.FIELDS))
        for pk, *values in User.objects.filter(pk__in=missing).values_list("pk", *now_columns):
            found[pk] = (user_days[pk], *values)
    people = []
    for pk, (day, borough, year, sex, ethnic, disability, carer) in found.items():
        people.append(
            Person(
                key=f"user:{pk}", source="online", borough=borough or "", age=equality.age_band(year, day),
                sex=_answer(sex), ethnic_group=equality.high_level_group(ethnic or ""),
                disability=_answer(disability), carer=_answer(carer),
            )
        )
    return people


def _offline_people(items: dict[str, object]) -> list[Person]:
    """Offline contributions carry their own answers. One query, even with none ("or [0]"), so the
    page costs the same whatever the mix."""
    pks = {int(key.split(":", 1)[1]): item for key, item in items.items()}
    rows = OfflineContribution.objects.filter(pk__in=list(pks) or [0]).values_list("pk", "borough", *equality.FIELDS)
    return [
        Person(
            key=f"offline:{pk}", source="offline", borough=borough or pks[pk].borough,
            age=equality.age_band(year, pks[pk].created.date()), sex=_answer(sex),
            ethnic_group=equality.high_level_group(ethnic or ""), disability=_answer(disability), carer=_answer(carer),
        )
        for pk, borough, year, sex, ethnic, disability, carer in rows
    ]


def _dimension(key, title, note, people: list[Person]) -> Dimension:
    counts = Counter(getattr(p, key) for p in people)
    answered = sum(n for code, n in counts.items() if code)
    london = baseline.london()
    if key == "borough":
        areas = baseline.by_borough()
        groups = [(code, label, areas[code].adults / london.adults) for code, label in Borough.choices]
    elif key == "age":
        groups = [(code, label, london.ages[code] / london.adults) for code, label, _, _ in equality.AGE_BANDS]
    elif key == "sex":
        groups = [("female", "Female", london.female / london.total), ("male", "Male", london.male / london.total)]
    else:
        groups = [(c, label, london.ethnic[c] / london.eth_total) for c, label in equality.HighLevelGroup.choices]
    dimension = Dimension(key=key, title=title, note=note, answered=answered)
    dimension.rows = [GroupRow(code, label, counts.get(code, 0), answered, share) for code, label, share in groups]
    return dimension


def _counts_only(key, choices, people: list[Person]) -> Dimension:
    counts = Counter(getattr(p, key) for p in people)
    answered = sum(n for code, n in counts.items() if code)
    rows = [
        GroupRow(code, str(label), counts.get(code, 0), answered, None)
        for code, label in choices.choices
        if code != equality.PREFER_NOT
    ]
    return Dimension(key=key, title=equality.QUESTIONS[key], note="", answered=answered, rows=rows)


def representativeness(*, start: date, end: date, programme=None) -> Representativeness:
    """Who took part in [start, end] (London days) in a programme, or site-wide, against London."""
    since, until = period_bounds(start, end)
    items = corpus_items(programme=programme, start=since, end=until)
    user_days: dict[int, date] = {}
    offline: dict[str, object] = {}
    for item in items:
        kind, _, pk = item.participant.partition(":")
        if kind == "user":
            user_days[int(pk)] = timezone.localtime(item.created).date()
        else:
            offline[item.participant] = item
    people = _online_people(user_days, programme, since, until) + _offline_people(offline)
    report = Representativeness(
        programme=programme, start=start, end=end, contributions=len(items), kinds=dict(Counter(i.kind for i in items))
    )
    report.participants = len(people)
    report.online = sum(1 for p in people if p.source == "online")
    report.offline = report.participants - report.online
    report.dimensions = [_dimension(key, title, note, people) for key, title, note in DIMENSIONS]
    report.others = [_counts_only(key, choices, people) for key, choices in OTHER_QUESTIONS]
    return report


def packs_for_staff() -> list:
    return list(EvidencePack.objects.select_related("programme").order_by("-created_at", "-id")[:50])


def published_pack(*, slug: str, pk: int):
    return get_object_or_404(
        EvidencePack.objects.select_related("programme"),
        pk=pk, programme__slug=slug, status=EvidencePack.Status.PUBLISHED,
    )

