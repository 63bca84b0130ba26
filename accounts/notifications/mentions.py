"""Finding `@Display Name` in what people write.

Display names have spaces, so after each "@" every run of up to 30 characters that ends at a word
boundary is a candidate, and the longest that is someone's name (ignoring case) wins: "@Jo Bloggs
said" finds "Jo Bloggs" when that name exists, or "Jo Bloggs said" if that one does. An "@" inside
a word or an email address is not a mention, nor is anything in a quote or code.
"""

import re

from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import User
from accounts.names import MAX_LENGTH, MIN_LENGTH, normalise

MAX_MENTIONS = 10

_AT = re.compile(r"(?<![\w@.+-])@(?=\w)")
_QUOTED = re.compile(r"^ {0,3}>.*$", re.M)
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)


def _candidates(text: str) -> list[list[str]]:
    """For each "@", the names it could begin, longest first."""
    text = _QUOTED.sub("", _CODE.sub("", text or ""))
    found = []
    for at in _AT.finditer(text):
        window = text[at.end() : at.end() + MAX_LENGTH + 1].split("\n", 1)[0]
        names = []
        for end in range(len(window), 0, -1):
            if not window[end - 1].isalnum():
                continue
            if end < len(window) and (window[end].isalnum() or window[end] == "_"):
                continue
            name = normalise(window[:end])
            if MIN_LENGTH <= len(name) <= MAX_LENGTH and name not in names:
                names.append(name)
        if names:
            found.append(names)
    return found


def mentioned_users(text: str) -> list[User]:
    """Active people named with "@" in `text`, in order, each once, at most MAX_MENTIONS."""
    groups = _candidates(text)
    if not groups:
        return []
    typed = {name for names in groups for name in names}
    lowered = {name.lower() for name in typed}
    people = User.objects.annotate(lower_name=Lower("display_name")).filter(
        Q(display_name__in=typed) | Q(lower_name__in=lowered), is_active=True
    )
    by_name = {person.display_name.lower(): person for person in people.only("pk", "display_name")}
    found: dict[int, User] = {}
    for names in groups:
        for name in names:
            person = by_name.get(name.lower())
            if person is not None:
                found.setdefault(person.pk, person)
                break
        if len(found) >= MAX_MENTIONS:
            break
    return list(found.values())
