"""Small numbers never identify anyone.

Any figure about fewer than SMALL_CELL people is shown as "fewer than 10", and any share or rate
worked out from such a figure is not shown at all, so a reader cannot tell that one person in
Croydon voted Yes. Every staff report, chart, export and evidence pack formats counts of people
through these helpers, so the rule has one source.
"""

from __future__ import annotations

SMALL_CELL = 10
FEWER_THAN = f"fewer than {SMALL_CELL}"


def is_small(count: int | None) -> bool:
    """A count of people under SMALL_CELL (zero included: "no one" is as telling as "one")."""
    return count is None or count < SMALL_CELL


def people(count: int | None) -> str:
    """A count of people as text: "1,234", or "fewer than 10"."""
    return FEWER_THAN if is_small(count) else f"{count:,}"


def share(part: int | None, whole: int | None) -> float | None:
    """part ÷ whole, or None when either is a small count (the share would reveal it)."""
    if is_small(part) or is_small(whole):
        return None
    return part / whole


def percent(part: int | None, whole: int | None, places: int = 0) -> str:
    """A share as "42%", or "fewer than 10" where the share is withheld."""
    value = share(part, whole)
    return FEWER_THAN if value is None else f"{value * 100:.{places}f}%"
