"""Checks on text before it is posted: personal health information, crisis language, word lists.

These are heuristics that ask a person to think again or bring in a moderator; they never
silently change what someone wrote.
"""

import re
from dataclasses import dataclass, field

CRISIS_PHRASES = (
    "kill myself", "killing myself", "end my life", "ending my life", "take my own life", "taking my own life",
    "want to die", "wanna die", "better off dead", "suicide", "suicidal", "self harm", "self-harm", "harm myself",
    "hurt myself", "cut myself", "cutting myself", "overdose", "no reason to live", "can't go on", "cannot go on",
)

_NHS_NUMBER = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
_DOB = re.compile(rf"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?|birthday(?: is)?)\s*[:\-]?\s*{_DATE}", re.I)


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number check digit: modulus 11 with weights 10 down to 2."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


@dataclass
class Findings:
    personal: list[str] = field(default_factory=list)
    crisis: bool = False
    hold_words: list[str] = field(default_factory=list)
    block_words: list[str] = field(default_factory=list)


def personal_information(text: str) -> list[str]:
    """Kinds of personal information found: "an NHS number", "a phone number", ..."""
    found = []
    if any(nhs_number_is_valid("".join(m.groups())) for m in _NHS_NUMBER.finditer(text)):
        found.append("an NHS number")
    without_nhs = _NHS_NUMBER.sub(lambda m: "" if nhs_number_is_valid("".join(m.groups())) else m.group(0), text)
    if _PHONE.search(without_nhs):
        found.append("a phone number")
    if _EMAIL.search(text):
        found.append("an email address")
    if _DOB.search(text):
        found.append("a date of birth")
    return found


def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.I)


def matching(phrases, text: str) -> list[str]:
    return [p for p in phrases if _phrase_pattern(p).search(text)]


def check(text: str) -> Findings:
    from ..models import WordRule

    rules: dict[str, list[str]] = {kind: [] for kind in WordRule.Kind.values}
    for phrase, kind in WordRule.objects.values_list("phrase", "kind"):
        rules[kind].append(phrase)
    return Findings(
        personal=personal_information(text),
        crisis=bool(matching(CRISIS_PHRASES, text) or matching(rules["crisis"], text)),
        hold_words=matching(rules["hold"], text),
        block_words=matching(rules["block"], text),
    )
