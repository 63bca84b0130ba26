"""Time as people read it on the site: "2 years ago", with the exact moment beside it."""

from datetime import datetime

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

_UNITS = (
    ("year", 365 * 24 * 3600),
    ("month", 30 * 24 * 3600),
    ("week", 7 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
)


def relative(value: datetime, now: datetime | None = None) -> str:
    """The largest whole unit since `value`: "just now", "1 minute ago", "2 years ago"."""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    if seconds < 60:
        return "just now"
    for name, size in _UNITS:
        count = seconds // size
        if count:
            return f"{count} {name}{'' if count == 1 else 's'} ago"
    return "just now"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def exact(value: datetime) -> str:
    """The local date and time in the style of the original site: "22 May 2015, 3:29pm".

    Formatted by hand rather than with strftime: a thread page prints hundreds of these.
    """
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def _clock(local: datetime) -> str:
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def exact_range(start: datetime, end: datetime) -> str:
    """"12 December 2026, 6:00pm to 8:00pm"; the date is said again only when the end is on another day."""
    first, last = timezone.localtime(start), timezone.localtime(end)
    if first.date() == last.date():
        return f"{exact(start)} to {_clock(last)}"
    return f"{exact(start)} to {exact(end)}"


def time_element(value: datetime | None) -> SafeString:
    """A `<time>` element: relative words for reading, the exact moment for machines and hover.

    Every part is built here from the datetime (digits, month names, fixed words), never from
    people's text, so it is marked safe without escaping: a thread page prints hundreds.
    """
    if value is None:
        return mark_safe("")
    moment = exact(value)
    return mark_safe(
        f'<time datetime="{value.isoformat()}" title="{moment}">{relative(value)}'
        f'<span class="nhsuk-u-visually-hidden"> ({moment})</span></time>'
    )
