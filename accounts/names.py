"""Rules for public display names.

A display name is how a person appears to everyone, so it must never reveal an email address
and never pass for the people residents trust to speak for the site or the NHS.
"""

import re
import unicodedata
from functools import cache

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30

_ALLOWED = re.compile(r"^[^\W_](?:[\w .'’-]*[^\W_])?$")
_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s", "@": "a", "|": "i"})
_RESERVED_WORDS = {"nhs", "staff", "moderator", "moderators", "mod", "mods", "admin", "administrator", "official", "hlp"}
DELETED_NAME = "Deleted user"
_RESERVED_RUNS = ("moderator", "administrator", "talkhealth", "healthylondon", "nhsstaff", "nhsofficial", "sitestaff")


def normalise(value: str) -> str:
    """NFKC-fold and collapse white space, so "Ｊｏ  Bloggs " and "Jo Bloggs" are one name."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


@cache
def _prototype(char: str) -> str:
    """The plain Latin character `char` is drawn like (Cyrillic "о" -> "o"), or `char` itself."""
    if char.isascii():
        return char
    # Unicode's confusables table is 6-7 MB of Python objects: loaded by the first name that is
    # not plain ASCII, not by every web and Celery process at start-up.
    from confusable_homoglyphs import confusables

    for glyph in confusables.confusables_data.get(char, ()):
        if glyph["c"].isascii():
            return glyph["c"]
    return char


def skeleton(value: str) -> str:
    """What a name looks like, after UTS #39's idea of a confusable skeleton: every character
    replaced by the Latin one it is drawn like, case, digits drawn as letters and white space
    folded. Two names with one skeleton cannot be told apart on screen."""
    folded = "".join(_prototype(char) for char in unicodedata.normalize("NFKC", value)).lower()
    return " ".join(folded.translate(_LOOKALIKES).replace("l", "i").split())


def mixes_scripts(value: str) -> bool:
    """True for a name written in more than one alphabet ("Mоderator" with a Cyrillic "о"):
    digits, spaces and punctuation belong to every script."""
    from confusable_homoglyphs import categories  # loaded on first use, as the confusables table

    scripts = {categories.alias(char) for char in value if char.isalpha()}
    return len(scripts - {"COMMON", "INHERITED"}) > 1


def _impersonates(name: str) -> bool:
    name = "".join(_prototype(char) for char in name)
    folded = name.lower().translate(_LOOKALIKES)
    camel = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower().translate(_LOOKALIKES)
    words = set(re.split(r"[^a-z]+", folded)) | set(re.split(r"[^a-z]+", camel))
    squashed = re.sub(r"[^a-z]", "", folded)
    return bool(words & _RESERVED_WORDS) or any(run in squashed for run in _RESERVED_RUNS) or squashed.startswith("nhs")


def validate_display_name(value: str) -> None:
    name = normalise(value)
    if len(name) < MIN_LENGTH or len(name) > MAX_LENGTH:
        raise ValidationError(
            f"Display name must be between {MIN_LENGTH} and {MAX_LENGTH} characters.", code="length"
        )
    if "@" in name or re.search(r"\w\s*(\.|dot)\s*(com|org|net|uk|nhs)\b", name, re.I):
        raise ValidationError(
            "Display name must not be or contain an email address: it is shown to everyone.", code="email"
        )
    if not _ALLOWED.match(name):
        raise ValidationError(
            "Display name can only use letters, numbers, spaces, hyphens, apostrophes and full stops, "
            "and must start and end with a letter or number.",
            code="characters",
        )
    if mixes_scripts(name):
        raise ValidationError(
            "Display name must use letters from one alphabet, so it cannot be mistaken for someone else's.",
            code="mixed_scripts",
        )
    if re.sub(r"[^a-z]", "", skeleton(name)) == re.sub(r"[^a-z]", "", skeleton(DELETED_NAME)):
        raise ValidationError(
            f"“{DELETED_NAME}” is what deleted accounts are called. Please choose another name.", code="reserved"
        )
    if _impersonates(name):
        raise ValidationError(
            "Display name must not suggest you speak for the NHS, the partnership staff or the moderators.",
            code="impersonation",
        )
