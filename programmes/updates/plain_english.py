"""A plain-English check for staff writing updates: reading age and unexplained acronyms.

Reading age is the Flesch-Kincaid grade level plus five (a US school grade, turned into the age
of a UK reader), from counts of sentences, words and syllables. NHS content aims for a reading age
of about 9 to 11; anything above 11 is flagged.

An acronym (two or more capitals, like CCG or A&E) is explained when its first use sits beside its
meaning in brackets, either way round: "clinical commissioning group (CCG)" or "CCG (clinical
commissioning group)". Following the NHS.UK content style guide, NHS, GP and A&E are understood by
everyone and need no explanation; neither do UK, OK and COVID.

Each sentence over 25 words is quoted by its opening words, so the writer can find it, and words
the GOV.UK and NHS.UK style guides ask writers to avoid are named with an everyday word to use.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags

TARGET_READING_AGE = 11
LONG_SENTENCE_WORDS = 25
UNDERSTOOD = {"NHS", "GP", "A&E", "UK", "OK", "COVID"}

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_ACRONYM = re.compile(r"(?<![\w&])([A-Z][A-Z&]*[A-Z])(s?)(?![\w&])")
_VOWELS = re.compile(r"[aeiouy]+")
QUOTED_WORDS = 8

# Word stems to avoid (GOV.UK "words to avoid", NHS.UK content style), each with what to say instead.
HARD_WORDS = {
    "operationalis": "put into practice",
    "operationaliz": "put into practice",
    "utilis": "use",
    "utiliz": "use",
    "commensurate": "in line with, or equal to",
    "facilitat": "help, or run",
    "leverag": "use, or make the most of",
    "stakeholder": "the people or groups involved (name them)",
    "commenc": "start",
    "endeavour": "try",
    "henceforth": "from now on",
    "aforementioned": "this, or name it again",
    "synerg": "working together",
    "paradigm": "model, or way of working",
    "streamlin": "simplify",
    "incentivis": "encourage",
    "holistic": "whole, or joined-up",
    "transformational": "big change (say what changes)",
    "deliverable": "what will be done (say what)",
    "going forward": "from now on",
    "in order to": "to",
    "prior to": "before",
    "with regard to": "about",
    "in relation to": "about",
    "robust": "strong, or well tested",
}
_HARD = re.compile(
    r"\b(" + "|".join(re.escape(stem).replace(r"\ ", r"\s+") for stem in HARD_WORDS) + r")[a-z]*",
    re.IGNORECASE,
)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e or a silent -ed/-es ending: an estimate, at least one."""
    word = word.lower().replace("’", "'").split("'")[0]
    if len(word) <= 3:
        return 1
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    if word.endswith(("ed", "es")) and not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "xes")):
        count -= 1
    return max(count, 1)


@dataclass
class PlainEnglish:
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    long_sentences: int = 0
    long_sentence_starts: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    hard_words: list[tuple[str, str]] = field(default_factory=list)

    @property
    def grade(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def reading_age(self) -> int | None:
        grade = self.grade
        return None if grade is None else max(round(grade + 5), 5)

    @property
    def too_hard(self) -> bool:
        return self.reading_age is not None and self.reading_age > TARGET_READING_AGE

    @property
    def target(self) -> int:
        return TARGET_READING_AGE


def plain_text(*parts: str) -> str:
    """Rendered HTML (or plain text) as readable text: headings and paragraphs end sentences."""
    text = "\n".join(parts)
    text = re.sub(r"</(h2|h3|p|li|blockquote)>", "\n", text)
    return html.unescape(strip_tags(text))


def unexplained_acronyms(text: str) -> list[str]:
    """Acronyms whose first use has no meaning beside it in brackets, in order of first use."""
    seen, unexplained = set(), []
    for match in _ACRONYM.finditer(text):
        acronym = match.group(1)
        if acronym in seen or acronym in UNDERSTOOD:
            continue
        seen.add(acronym)
        before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
        inside_brackets = before.endswith("(") and after.startswith(")")
        explained_after = after.startswith("(") and not after.startswith("()")
        if not (inside_brackets or explained_after):
            unexplained.append(acronym)
    return unexplained


def hard_words(text: str) -> list[tuple[str, str]]:
    """Each word to avoid, as written at its first use, with an everyday alternative."""
    found = {}
    for match in _HARD.finditer(text):
        written = " ".join(match.group(0).split())
        stem = next(stem for stem in HARD_WORDS if written.lower().startswith(stem))
        found.setdefault(stem, (written, HARD_WORDS[stem]))
    return list(found.values())


def check(*parts: str) -> PlainEnglish:
    """Measure `parts` (title, summary, body HTML...) as one text."""
    text = plain_text(*parts)
    result = PlainEnglish(acronyms=unexplained_acronyms(text), hard_words=hard_words(text))
    for sentence in _SENTENCE_END.split(text):
        words = _WORD.findall(sentence)
        if not words:
            continue
        result.sentences += 1
        result.words += len(words)
        result.syllables += sum(syllables(w) for w in words)
        if len(words) > LONG_SENTENCE_WORDS:
            result.long_sentences += 1
            result.long_sentence_starts.append(" ".join(sentence.split()[:QUOTED_WORDS]) + "…")
    return result
