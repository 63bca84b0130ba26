"""Checks on what people write, shared by thread and comment services."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

# One match per link: a markdown target `](...)` or a bare address, each taken whole so the
# "https://" and "www." inside one link are not counted again.
_LINK = re.compile(r"\]\([^)]*\)|(?:https?://|www\.)[^\s<>()\[\]]*", re.I)
_TAG_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def is_new_account(user) -> bool:
    return user.date_joined > timezone.now() - timedelta(days=settings.FORUMS_NEW_ACCOUNT_DAYS)


def check_links(user, text: str) -> None:
    if is_new_account(user) and len(_LINK.findall(text)) > settings.FORUMS_NEW_ACCOUNT_MAX_LINKS:
        raise ValidationError(
            f"New accounts can include at most {settings.FORUMS_NEW_ACCOUNT_MAX_LINKS} links in a post. "
            "Please remove some links and try again.",
            code="too_many_links",
        )


def check_rate(user, recent_times: list) -> None:
    """`recent_times` are the person's post times within the longest window, newest first."""
    now = timezone.now()
    limits = settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS if is_new_account(user) else settings.FORUMS_RATE_LIMITS
    for seconds, allowed in limits:
        in_window = [t for t in recent_times if t > now - timedelta(seconds=seconds)]
        if len(in_window) >= allowed:
            wait = int((min(in_window[:allowed]) + timedelta(seconds=seconds) - now).total_seconds()) + 1
            raise ValidationError(
                f"You are posting too quickly. Please wait {_duration(wait)} and try again: your text has been kept.",
                code="rate_limited",
            )


def longest_rate_window(user) -> timedelta:
    limits = settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS if is_new_account(user) else settings.FORUMS_RATE_LIMITS
    return timedelta(seconds=max(seconds for seconds, _ in limits))


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def normalise_tag(name: str) -> str:
    return " ".join(name.split()).lower()[:100]


def tag_names(tags) -> list[str]:
    """Tags as typed, normalised, without blanks or repeats, in the order given."""
    return list(dict.fromkeys(filter(None, (normalise_tag(t) for t in tags or []))))


def check_tags(names: list[str]) -> None:
    """Each tag has its own page at /tags/<slug>/, so it needs letters or numbers a URL can carry."""
    for name in names:
        if not _TAG_SLUG.match(slugify(name, allow_unicode=True)):
            raise ValidationError(
                f'Tags can use the letters a to z, numbers, spaces and hyphens, so "{name}" cannot be used.',
                code="bad_tag",
            )


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
