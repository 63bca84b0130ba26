"""Checks on text before it is posted: personal details, crisis language, word lists.

These are heuristics that ask a person to think again or bring in a moderator; they never
silently change what someone wrote. Text is normalised before matching (curly apostrophes and
quotes, case, invisible characters, repeated spaces), so a phone's "I can’t go on" reads like a
keyboard's "I cant go on". Their recall and false-positive rate are measured against the labelled
corpus in tests/forums/screening_corpus.tsv.
"""

import re
import unicodedata
from dataclasses import dataclass, field

_APOSTROPHES = dict.fromkeys(map(ord, "‘’‚‛′`´ʼ"), "'")
_QUOTES = dict.fromkeys(map(ord, "“”„‟″«»"), '"')
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case text with straight apostrophes and quotes, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES).translate(_QUOTES)
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip().lower()


# Crisis language -------------------------------------------------------------------------------
# Each pattern runs on normalised text; an apostrophe is optional ("cant", "dont", "im").

_SELF = r"(?:myself|my self|my own life|my life)"
_CANT = r"(?:can'?t|cannot|can not)"
_DONT = r"(?:don'?t|do not)"
_ANYMORE = r"(?:any ?more|any longer|much longer)"
_HURT = r"(?:harm(?:ing)?|hurt(?:ing)?|cut(?:ting)?|burn(?:ing)?)"
_CRISIS = [
    rf"\b(?:kill|killing|killed|end|ending|take|taking|unalive|unaliving)\s+{_SELF}\b",
    r"\bend(?:ing)? it all\b",
    r"\b(?:want|wanting|wanna|going|ready|plan|planning|deserve) (?:to )?die\b(?! (?:laughing|of (?:embarrassment|boredom|shame)))",
    r"\bwish (?:i|i'?d) (?:was|were|had) (?:dead|never been born)\b",
    r"\bwish i (?:could )?(?:die|(?:was|were)n'?t (?:here|alive|around))\b",
    r"\bbetter off (?:dead|without me)\b",
    r"\b(?:nobody|no one|no-one) would (?:miss|notice) (?:me|if i (?:was|were) gone)\b",
    r"\bsuicid(?:al|e)\b(?! (?:prevention|awareness|statistics|stats|rates?|research|figures|bereavement|squad|risk))",
    r"(?<!treats )(?<!covers )\bself[- ]?harm(?:ing|ed)?\b"
    r"(?! (?:services?|awareness|support|teams?|prevention|policy|training|research|rates?|figures|statistics|clinic|pathway))",
    rf"\b{_HURT} myself (?:again|on purpose|deliberately)\b",
    rf"\b(?:want|wanted|urges?|going|thoughts? of|thinking (?:of|about)|stop myself from|keep|started|been|still) (?:to )?{_HURT} myself\b",
    r"\b(?:take|taking|took|taken|plan(?:ning)? to take) (?:an |another )?overdose\b",
    r"\boverdos(?:e|ing) on (?:my|all my|the|his|her) (?:pills|tablets|meds|medication|medicine)",
    r"\b(?:no|any|nothing left to|not any) (?:reason|point) (?:to|in) (?:live|living|go(?:ing)? on(?: living)?|carrying on|being alive)\b",
    r"\bnothing (?:left )?to live for\b",
    r"\b(?:life|living) (?:isn'?t|is not|isnt|is no longer|feels no longer|not) worth (?:living|it any ?more)\b",
    r"\b(?:life|living) (?:is|feels) pointless\b",
    rf"\b{_CANT} ?go on\b(?=\s*(?:$|[.!?,;:)]|like this|{_ANYMORE}|living|with (?:my )?life|without (?:him|her|them)))",
    rf"\b{_CANT} (?:take|do|cope with|handle) (?:it|this|life|living) {_ANYMORE}\b",
    rf"\b{_CANT} (?:take|do) (?:it|this) any ?more\b",
    rf"\b{_DONT} want to (?:be here|be alive|live|exist|wake up|be around)(?: {_ANYMORE}| tomorrow)?\b"
    r"(?! (?:in|at|on|for|with|if|near|when|after))",
    r"\bwant (?:it|everything|the pain) (?:all )?to (?:end|stop) (?:for good|forever|permanently)\b",
    r"\bjust want (?:it|everything) (?:all )?to end\b",
    r"\b(?:jump|jumping|throw(?:ing)? myself) (?:off|in front of|under) (?:a|the) (?:bridge|train|tube|building|roof|car|bus)\b",
    r"\bi'?ve (?:written|wrote|left) (?:a|my) (?:suicide |goodbye )?note\b",
    r"\bsaying (?:my )?goodbyes? (?:to everyone|for good|forever)\b",
    r"\bkms\b",
]
CRISIS_PATTERNS = [re.compile(p) for p in _CRISIS]


def crisis_language(text: str) -> bool:
    """Whether normalised `text` reads as someone who may be at risk of suicide or self-harm."""
    text = normalise(text)
    return any(p.search(text) for p in CRISIS_PATTERNS)


# Personal details ------------------------------------------------------------------------------

_NHS_NUMBER = re.compile(r"(?<![\d+])(?<!\d[ -])(\d(?:[ -]{0,2}\d){9})(?![ -]?\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?44\s?\(?0?\)?|\(?0)(?:[\s)-]{0,2}\d){9,10}(?![ -]?\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})\b|\d{{4}}-\d{{1,2}}-\d{{1,2}}\b"
    rf"|\d{{1,2}}{_ORD} (?:of )?{_MONTH}\.?,? (?:\d{{4}}|'?\d{{2}})\b|{_MONTH}\.? (?:the )?\d{{1,2}}{_ORD},? (?:\d{{4}}|'?\d{{2}})\b)"
)
_DOB = re.compile(
    r"\b(?:date of birth|birth ?date|d\.?o\.?b\b\.?|born|birthday)[ :=(-]{0,3}(?:(?:is|was|on|being|the|of) ){0,3}" + _DATE
)
_POSTCODE = re.compile(r"\b[a-pr-uwyz][a-hk-y]?\d[a-z\d]? ?\d[abd-hjlnp-uw-z]{2}\b")
_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|grove|gardens|gdns|place|pl|"
    "terrace|court|ct|square|sq|hill|mews|rise|walk|row|parade|green|vale|estate|house|view|park road"
)
_NOT_NAME = (
    "on|in|at|to|a|an|from|of|near|down|up|along|off|by|for|with|and|or|per|each|every|minutes?|mins?|hours?|"
    "hrs?|miles?|metres?|people|times|years?|weeks?|days?|months?|bus|buses|stops?|doors?|floors?|flights?|steps?"
)
_STREET = re.compile(
    rf"(?<![£$\d.,])\b\d{{1,4}}[a-z]?,? (?:(?!(?:{_NOT_NAME})\b)[a-z][a-z'-]+ ){{1,3}}(?:{_STREET_TYPES})\b(?!-)"
)


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number check digit: modulus 11 with weights 10 down to 2."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _digits(match: re.Match) -> str:
    return re.sub(r"\D", "", match.group(1))


def personal_information(text: str) -> list[str]:
    """Kinds of personal details found: "an NHS number", "a phone number", "a postcode", ..."""
    text = normalise(text)
    found = []
    nhs = [m for m in _NHS_NUMBER.finditer(text) if nhs_number_is_valid(_digits(m))]
    if nhs:
        found.append("an NHS number")
    for m in reversed(nhs):
        text = text[: m.start()] + " " + text[m.end():]
    if _PHONE.search(text):
        found.append("a phone number")
    if _EMAIL.search(text):
        found.append("an email address")
    if _DOB.search(text):
        found.append("a date of birth")
    if _POSTCODE.search(text):
        found.append("a postcode")
    if _STREET.search(text):
        found.append("a street address")
    return found


# Checking a post -------------------------------------------------------------------------------


@dataclass
class Findings:
    personal: list[str] = field(default_factory=list)
    crisis: bool = False
    hold_words: list[str] = field(default_factory=list)
    block_words: list[str] = field(default_factory=list)


def _phrase_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(word).replace("'", "'?") for word in normalise(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def matching(phrases, text: str) -> list[str]:
    """The moderators' phrases that occur in `text` as whole words, after both are normalised."""
    text = normalise(text)
    return [p for p in phrases if normalise(p) and _phrase_pattern(p).search(text)]


def check(text: str) -> Findings:
    from .models import WordRule

    rules: dict[str, list[str]] = {kind: [] for kind in WordRule.Kind.values}
    for phrase, kind in WordRule.objects.values_list("phrase", "kind"):
        rules[kind].append(phrase)
    return Findings(
        personal=personal_information(text),
        crisis=crisis_language(text) or bool(matching(rules["crisis"], text)),
        hold_words=matching(rules["hold"], text),
        block_words=matching(rules["block"], text),
    )
