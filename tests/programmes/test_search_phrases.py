"""Phrases answered by the search index: on PostgreSQL with the `rum` extension, forums migration
0007 replaces the GIN indexes with RUM ones, which store word positions, so a "quoted phrase" is
matched inside the index instead of by rechecking every row that holds all its words.

A phrase's words are also ANDed in front of it when rows are matched (`search.match_query`), so RUM
checks positions only in rows holding every word: the tests below prove that this matches exactly
the rows the phrase alone matches and leaves the ranking alone.

Skipped on SQLite (no index; its fallback is covered in test_search.py) and where PostgreSQL
lacks the extension, except under CI, which installs it and so fails without it. The tests of what
`match_query` matches need only PostgreSQL.
"""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F

from forums import search as forum_search
from forums.models import Comment
from talkhealth import search
from talkhealth.search import Filters
from tests.forums.factories import CommentFactory, ThreadFactory
from tests.talkhealth.conftest import in_ci

pytestmark = pytest.mark.django_db

TOGETHER = [
    "My appointment GP was kind.",
    "Another appointment gp, same story.",
    "The appointment GP surgery called back.",
]
APART = [
    "GP appointment booked.",
    "An appointment with the GP at last.",
    "The gp said the appointment was late.",
]


@pytest.fixture
def rum(db):
    if connection.vendor != "postgresql":
        pytest.skip(f"the RUM index is PostgreSQL's; the test database is {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        available = cursor.fetchone() is not None
    if not available:
        reason = "PostgreSQL has no rum extension (Debian: apt-get install postgresql-NN-rum); GIN serves the search"
        if in_ci():
            pytest.fail(f"{reason}. CI installs it, so the RUM index must be tested.", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def comments(rum):
    thread = ThreadFactory(title="Surgery news", body="Opening hours change in spring.")
    together = [CommentFactory(thread=thread, body=body) for body in TOGETHER]
    apart = [CommentFactory(thread=thread, body=body) for body in APART]
    return together, apart


def _comment_hits(q: str) -> set[int]:
    hits = forum_search.comment_hits(user=AnonymousUser(), terms=search.parse(q), filters=Filters(), limit=100)
    return {hit.pk for hit in hits}


def _index_method(index: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = %s", [index]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_the_migration_made_rum_search_indexes_where_the_extension_is_available(rum):
    assert _index_method("forums_comment_search") == "rum"
    assert _index_method("forums_thread_search") == "rum"


def test_a_phrase_finds_only_comments_with_the_words_side_by_side(comments):
    together, apart = comments
    assert _comment_hits('"appointment gp"') == {c.pk for c in together}
    assert _comment_hits("appointment gp") == {c.pk for c in together + apart}


def test_exclusions_still_apply_to_phrases_and_words(comments):
    together, apart = comments
    assert _comment_hits('"appointment gp" -surgery') == {c.pk for c in together[:2]}
    assert _comment_hits('appointment -"appointment gp"') == {c.pk for c in apart}


def test_the_index_itself_returns_only_the_phrase_matches(comments):
    """With sequential scans off the phrase must come through forums_comment_search, and the rows
    that index hands back are already the phrase matches: nothing left for a recheck to drop, unlike
    GIN, which returns every comment holding both words."""
    together, _ = comments
    query = search.ts_query(search.parse('"appointment gp"'))
    sql, params = Comment.objects.filter(search_vector=query).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, index_nodes = [plan[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if node.get("Index Name") == "forums_comment_search":
            index_nodes.append(node)
    assert [node["Actual Rows"] for node in index_nodes] == [len(together)]
    assert plan[0]["Plan"]["Actual Rows"] == len(together)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip(f"websearch_to_tsquery is PostgreSQL's; the test database is {connection.vendor}")


# Hostile and ordinary searches alike: phrases, exclusions, "or", stop words, hyphens, stray quotes.
QUERIES = [
    '"appointment gp"',
    '"appointment gp" -surgery',
    'appointment -"appointment gp"',
    '"gp surgery" "called back"',
    '"appointment gp" or surgery',
    '"appointment or gp"',
    'surgery OR "gp appointment"',
    '"the gp"',
    '"the a"',
    '"follow-up appointment"',
    'follow-up "gp said"',
    '"appointment gp',
    'gp" appointment',
    '"appointment -gp"',
    '- "appointment gp" -',
    '- appointment "gp surgery"',
    '"appointment gp" - surgery',
    'x-"appointment gp"',
    '"appointment" "gp"',
    '"GP\'s appointment"',
    '"appointment gp" & surgery | (x)',
    "appointment gp",
]
CORPUS = [
    *TOGETHER,
    *APART,
    "Surgery called back about my appointment.",
    "The GP's appointment system is better.",
    "Follow-up appointment booked with the gp.",
    "A follow-up appointment, then the gp said fine.",
    "The gp surgery called back within a day.",
    "Nothing to do with any of it.",
]


@pytest.mark.parametrize("q", QUERIES)
def test_the_matching_query_finds_exactly_what_the_search_itself_finds(postgres, q):
    thread = ThreadFactory(title="Clinic news", body="Nothing here.")
    for body in CORPUS:
        CommentFactory(thread=thread, body=body)
    terms = search.parse(q)
    by_search = set(Comment.objects.filter(search_vector=search.ts_query(terms)).values_list("pk", flat=True))
    by_match = set(Comment.objects.filter(search_vector=search.match_query(terms)).values_list("pk", flat=True))
    assert by_match == by_search


def test_phrases_put_their_words_in_front_and_an_or_keeps_the_search_as_typed(postgres):
    def sql(q):
        query = Comment.objects.filter(search_vector=search.match_query(search.parse(q))).values("pk").query
        return str(query)

    assert "plainto_tsquery" in sql('"appointment gp"')
    assert "plainto_tsquery" not in sql("appointment gp")
    assert "plainto_tsquery" not in sql('"appointment gp" or surgery')
    assert "plainto_tsquery" not in sql('- "appointment gp"')
    assert not search.parse('"appointment gp" OR surgery').plain_words
    assert search.parse('"appointment or gp" -"gp surgery" -nurse').plain_words


def test_a_phrase_ranks_its_matches_as_the_phrase_alone_would(comments):
    together, _ = comments
    terms = search.parse('"appointment gp"')
    hits = forum_search.comment_hits(user=AnonymousUser(), terms=terms, filters=Filters(), limit=100)
    ranks = dict(
        Comment.objects.filter(pk__in=[c.pk for c in together])
        .annotate(rank=SearchRank(F("search_vector"), search.ts_query(terms)))
        .values_list("pk", "rank")
    )
    assert {hit.pk: hit.rank for hit in hits} == ranks
    assert len(ranks) == len(together)
