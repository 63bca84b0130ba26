"""How often each person wants email, per category. Only choices are stored; the rest are defaults."""

from collections.abc import Iterable

from accounts.models import EmailFrequency, NotificationCategory, NotificationPreference

Category = NotificationCategory
Frequency = EmailFrequency

DEFAULTS = {
    Category.REPLY: Frequency.IMMEDIATELY,
    Category.MENTION: Frequency.IMMEDIATELY,
    Category.FOLLOWED_THREAD: Frequency.DAILY,
    Category.PROGRAMME_UPDATE: Frequency.DAILY,
    Category.OFFICIAL_RESPONSE: Frequency.IMMEDIATELY,
    Category.MODERATION: Frequency.IMMEDIATELY,
    Category.APPEAL: Frequency.IMMEDIATELY,
    Category.EVENTS: Frequency.IMMEDIATELY,
}

Chosen = dict[tuple[int, str], str]


def chosen_for(user_ids: Iterable[int]) -> Chosen:
    """Every stored choice of these people, in one query: {(user id, category): frequency}."""
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "category", "frequency"
    )
    return {(user_id, category): frequency for user_id, category, frequency in rows}


def frequency(chosen: Chosen, user_id: int, category: str) -> str:
    return chosen.get((user_id, category), DEFAULTS[category])


def for_user(user) -> dict[str, str]:
    """{category: frequency} for every category, defaults filled in."""
    chosen = chosen_for([user.pk])
    return {category: frequency(chosen, user.pk, category) for category in Category.values}
