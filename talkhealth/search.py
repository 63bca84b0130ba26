"""Search building blocks shared by every app that offers something to find.

On PostgreSQL a query is `websearch_to_tsquery` over a stored, indexed vector (English stemming;
RUM where the extension is installed, so phrases are matched by word positions in the index, else
GIN), ranked with ts_rank and quoted with ts_headline. On SQLite, the embedded default, the
same words are matched with LIKE: every word or "quoted phrase" must appear, -words must not.

Snippets come back from the database with private markers around the matching words. The text is
escaped first and only then are the markers turned into <mark> tags, so nothing a person wrote is
ever trusted as HTML.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import DatabaseError, connection
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
START, STOP = "\x02", "\x03"
ELLIPSIS = " … "
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=3, "
    f'MaxFragments=2, FragmentDelimiter="{ELLIPSIS}"'
)
TITLE_OPTIONS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
SNIPPET_WORDS = 35
MAX_QUERY_LENGTH = 200

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKENS = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_MARKDOWN = re.compile(r"(\*\*|__|`+|^\s*>\s?|^\s*[-*+]\s+|^\s*\d+\.\s+|\[|\]\([^)]*\))", re.M)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Terms:
    """What someone typed, as the SQLite fallback reads it: words and "quoted phrases" that must
    appear, and -words or -"phrases" that must not."""

    text: str
    required: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    # Every token was a word or "phrase", each with or without a leading minus: no "or", stray
    # minus or quote, so PostgreSQL's websearch syntax requires exactly `required` too.
    plain_words: bool = False

    def __bool__(self) -> bool:
        return bool(self.required)

    @property
    def has_phrase(self) -> bool:
        return any(" " in term or "-" in term for term in self.required + self.excluded)


def parse(text: str) -> Terms:
    text = " ".join(_CONTROL.sub(" ", text or "").split())[:MAX_QUERY_LENGTH]
    required, excluded, plain_words = [], [], True
    for quoted_minus, phrase, minus, word in _TOKENS.findall(text):
        value = " ".join((phrase or word.strip('"')).split()).lower()
        value = value.strip(".,;:!?()-")
        if not re.search(r"\w", value) or value in {"or", "and"} or '"' in word:
            plain_words = False
            continue
        (excluded if (quoted_minus or minus) else required).append(value)
    return Terms(
        text=text,
        required=tuple(dict.fromkeys(required)),
        excluded=tuple(dict.fromkeys(excluded)),
        plain_words=plain_words,
    )


@contextmanager
def serial_plans():
    """Run a search's queries without parallel workers. Each is small once planned well, and on
    PostgreSQL starting a worker can cost more than the query itself (2 ms of work behind 120 ms
    of worker start-up was measured on a busy machine)."""
    if not uses_postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET max_parallel_workers_per_gather")
        except DatabaseError:
            pass  # the transaction failed, and rolling it back undoes the SET


def ts_query(terms: Terms) -> SearchQuery:
    return SearchQuery(terms.text, search_type="websearch", config=CONFIG)


def match_query(terms: Terms) -> SearchQuery:
    """The query rows are matched by: for a "quoted phrase", every required word ANDed in front of
    the query itself. A row holding the phrase holds each of its words, so what matches is the same,
    but a RUM index then checks word positions only in the rows that hold all the words, rather than
    decoding every position of each word first: the phrase "appointment gp" over a million comments
    took 29 ms instead of 57. Ranking and headlines keep `ts_query`, so their scores are unchanged.
    Only when every token was read as a plain word or phrase: with an "or" a row need not hold every
    word, and a stray minus or quote may be read otherwise by PostgreSQL."""
    query = ts_query(terms)
    if not terms.has_phrase or not terms.plain_words:
        return query
    return SearchQuery(" ".join(terms.required), search_type="plain", config=CONFIG) & query


def rank(terms: Terms, *, vector: str = "search_vector", fallback: dict[str, int] | None = None):
    """How well a row matches: ts_rank on PostgreSQL; elsewhere the weights of the `fallback`
    fields ({"title": 2, "body": 1}) that contain each word, added up."""
    if uses_postgres():
        return SearchRank(F(vector), ts_query(terms))
    whens = [
        Case(When(**{f"{name}__icontains": term}, then=Value(float(weight))), default=Value(0.0))
        for term in terms.required
        for name, weight in (fallback or {}).items()
    ]
    total = Value(0.0)
    for when in whens:
        total = total + when
    return Coalesce(total, Value(0.0), output_field=FloatField())


def matches(terms: Terms, *, vector: str = "search_vector", fields: tuple[str, ...] = ("body",)) -> Q:
    """Rows that match: the vector on PostgreSQL; elsewhere every required word in one of
    `fields` and no excluded one in any."""
    if uses_postgres():
        return Q(**{vector: match_query(terms)})
    condition = Q()
    for term in terms.required:
        condition &= _any_field(term, fields)
    for term in terms.excluded:
        condition &= ~_any_field(term, fields)
    return condition


def _any_field(term: str, fields: tuple[str, ...]) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


class Headline(Func):
    function = "ts_headline"
    output_field = TextField()

    def __init__(self, expression, query, options: str):
        super().__init__(Value(CONFIG), expression, query, Value(options))


def headline(field_name: str, terms: Terms, *, whole: bool = False) -> Headline:
    """ts_headline of a field with the private markers; `whole` keeps all of it (for titles)."""
    return Headline(F(field_name), ts_query(terms), TITLE_OPTIONS if whole else HEADLINE_OPTIONS)


def with_headlines(queryset, terms: Terms):
    """Rows with their title and body quoted around the terms (title_marked, body_marked) on PostgreSQL;
    unchanged on SQLite, where `title_and_snippet` marks them in Python."""
    if not uses_postgres():
        return queryset
    return queryset.annotate(title_marked=headline("title", terms, whole=True), body_marked=headline("body", terms))


def title_and_snippet(row, terms: Terms, *, body: str | None = None) -> tuple[str, str]:
    """The marked title and snippet of a row read with `with_headlines`; on SQLite from `body`
    (the row's own body unless given)."""
    if uses_postgres():
        return row.title_marked, plain(row.body_marked)
    return mark_terms(row.title, terms, whole=True), mark_terms(row.body if body is None else body, terms)


def plain(text: str) -> str:
    """Markdown source as readable plain text for a snippet: no asterisks, quote marks or link targets."""
    return " ".join(_MARKDOWN.sub("", text or "").split())


def mark_terms(text: str, terms: Terms, *, whole: bool = False) -> str:
    """The SQLite fallback's headline: a window of words around the first match, with markers."""
    text = plain(text)
    needles = [t for t in terms.required if t]
    if not needles or not text:
        return text if whole else _words(text, 0)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.I)
    if not whole:
        found = pattern.search(text)
        start = len(text[: found.start()].split()) if found else 0
        text = _words(text, max(0, start - 8))
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)


def _words(text: str, start: int) -> str:
    words = text.split()
    window = " ".join(words[start : start + SNIPPET_WORDS])
    return ("… " if start else "") + window + (" …" if start + SNIPPET_WORDS < len(words) else "")


def highlight(text: str | None) -> SafeString:
    """Escape `text`, then turn the markers into balanced <mark> tags. The only HTML it can ever
    produce is <mark> and </mark>, whatever `text` contains."""
    parts, out, open_ = re.split(f"([{START}{STOP}])", text or ""), [], False
    for part in parts:
        if part == START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(escape(part))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above went through escape()


@dataclass(frozen=True)
class Filters:
    """Narrowing that every source understands; a source that cannot honour one (updates have no
    tags) returns nothing rather than ignore it."""

    programme: str = ""
    tag: str = ""
    since: datetime | None = None


@dataclass(frozen=True)
class Hit:
    """One match before it is loaded: enough to rank and page the results of every kind together."""

    kind: str
    pk: int
    rank: float
    created_at: datetime


@dataclass
class Result:
    """One match as the results page shows it."""

    kind: str
    label: str
    url: str
    title: SafeString
    snippet: SafeString
    created_at: datetime
    author: str = ""
    context: str = ""
    context_url: str = ""
    status: str = ""
    tags: list = field(default_factory=list)
