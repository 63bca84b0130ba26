"""Equality groups for theme cross-tabs: age band, sex, ethnic group (the five high-level groups),
disability and carer, as each person was when they took part.

An online item reads its author's equality snapshot for that programme and London day (taken by
their first post of the day), or, for posts from before snapshots, their answers now; an offline
contribution carries its own answers. Blank and "Prefer not to say" count as not known. Three
queries, however many items, whichever group is asked for.
"""

from django.utils import timezone

from accounts import equality
from accounts.models import EqualitySnapshot, User

from ..contributions.models import OfflineContribution

AGE_LABELS = {code: label for code, label, _low, _high in equality.AGE_BANDS}
CARER_LABELS = {"yes": "Carer", "no": "Not a carer"}


def _known(value) -> str:
    return value if equality.answered("", value) else ""


def _group(field: str, answers: tuple, day) -> str:
    year, sex, ethnic, disability, carer = answers
    if field == "age":
        return equality.age_band(year, day) if year else ""
    if field == "sex":
        return _known(sex)
    if field == "ethnic_group":
        return equality.high_level_group(ethnic or "")
    if field == "disability":
        return _known(disability)
    carer = _known(carer)
    return "yes" if carer.startswith("yes") else carer


def answers_by_item(items, programme) -> dict[str, tuple]:
    """{item key: (year_of_birth, sex, ethnic_group, disability, carer)} as the person answered
    when they took part; items with no answers are left out."""
    days = {}
    users: dict[str, int] = {}
    offline = []
    for item in items:
        kind, _, pk = item.participant.partition(":")
        if kind == "user":
            users[item.key] = int(pk)
            days[item.key] = timezone.localtime(item.created).date()
        else:
            offline.append(int(pk))
    snapshots = EqualitySnapshot.objects.filter(programme=programme)
    if days:
        snapshots = snapshots.filter(day__gte=min(days.values()), day__lte=max(days.values()))
    taken = {
        (user_id, day): tuple(values)
        for user_id, day, *values in snapshots.values_list("user_id", "day", *equality.FIELDS)
    }
    found = {}
    missing = set()
    for key, user_id in users.items():
        if (user_id, days[key]) in taken:
            found[key] = taken[(user_id, days[key])]
        else:
            missing.add(user_id)
    fields = (f"equality__{f}" for f in equality.FIELDS)
    # "or [0]": with no one to look up, still one (empty) query, so the query count is constant.
    now = {pk: tuple(v) for pk, *v in User.objects.filter(pk__in=sorted(missing) or [0]).values_list("pk", *fields)}
    for key, user_id in users.items():
        if key not in found and user_id in now:
            found[key] = now[user_id]
    rows = OfflineContribution.objects.filter(pk__in=offline or [0]).values_list("pk", *equality.FIELDS)
    found.update((f"offline:{pk}", tuple(values)) for pk, *values in rows)
    return found


def _dimension(field: str, labels: dict):
    def prepare(items, programme):
        answers = answers_by_item(items, programme)

        def value(item) -> str:
            found = answers.get(item.key)
            return _group(field, found, timezone.localtime(item.created).date()) if found else ""

        return value, lambda code: labels.get(code, "Not known")

    return prepare


DIMENSIONS = {
    "age": ("Age band", _dimension("age", AGE_LABELS)),
    "sex": ("Sex", _dimension("sex", dict(equality.Sex.choices))),
    "ethnic_group": ("Ethnic group", _dimension("ethnic_group", dict(equality.HighLevelGroup.choices))),
    "disability": ("Disability", _dimension("disability", dict(equality.Disability.choices))),
    "carer": ("Carer", _dimension("carer", CARER_LABELS)),
}
