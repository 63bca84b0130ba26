"""Every source's hits ranked together, then only the page being shown is loaded.

A source is two functions: `hits(*, user, terms, filters, limit) -> list[Hit]`, which applies the
visibility rules and returns the newest `limit` matches with their rank, and
`results(*, pks, terms) -> {pk: Result}`, which loads one page's worth with snippets. Adding a kind
of content to the search is adding one entry to SOURCES.

Ranking reads each candidate's stored vector, so ranking every match of a word found in a fifth of
a million comments would read a fifth of the table on every search. Each source therefore offers
its newest CANDIDATES matches, and relevance orders those: a word with fewer matches is ranked
over all of them, a very common one over its most recent. The page says when that happened.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from forums import search as forum_search
from talkhealth import search
from talkhealth.search import Filters, Hit, Terms

from ..updates import search as update_search

CANDIDATES = 1000
MAX_RESULTS = 500
PER_PAGE = 20


@dataclass(frozen=True)
class Source:
    label: str
    hits: Callable[..., list[Hit]]
    results: Callable[..., dict]


SOURCES: dict[str, Source] = {
    "thread": Source("Discussions", forum_search.thread_hits, forum_search.thread_results),
    "comment": Source("Comments", forum_search.comment_hits, forum_search.comment_results),
    "update": Source("Programme updates", update_search.update_hits, update_search.update_results),
}


@dataclass
class SearchPage:
    page: Page
    total: int
    capped: bool


def site_search(*, user, terms: Terms, filters: Filters, kind: str = "", page: int | str = 1) -> SearchPage:
    """At most MAX_RESULTS hits, best first (newest first among equals): one query per source for
    its candidates, and one per kind of content on the page to load it, however many matches there are."""
    with search.serial_plans():
        hits: list[Hit] = []
        capped = False
        for name, source in SOURCES.items():
            if kind and name != kind:
                continue
            found = source.hits(user=user, terms=terms, filters=filters, limit=CANDIDATES)
            capped = capped or len(found) >= CANDIDATES
            hits.extend(found)
        hits.sort(key=lambda hit: (-hit.rank, -hit.created_at.timestamp(), hit.kind, -hit.pk))
        capped = capped or len(hits) > MAX_RESULTS
        hits = hits[:MAX_RESULTS]

        page_obj = Paginator(hits, PER_PAGE).get_page(page)
        wanted: dict[str, list[int]] = defaultdict(list)
        for hit in page_obj.object_list:
            wanted[hit.kind].append(hit.pk)
        loaded = {name: SOURCES[name].results(pks=pks, terms=terms) for name, pks in wanted.items()}
        page_obj.object_list = [loaded[hit.kind][hit.pk] for hit in page_obj.object_list if hit.pk in loaded[hit.kind]]
        return SearchPage(page=page_obj, total=len(hits), capped=capped)
