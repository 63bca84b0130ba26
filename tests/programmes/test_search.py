"""The site search: what it finds, for whom, how it ranks and highlights, its filters and its cost.

Runs on the embedded SQLite fallback and, with DATABASE_URL set, on PostgreSQL full-text search;
the tests marked `postgres_only` prove what only PostgreSQL does (stemming, websearch syntax).
"""

import random
from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.volume import volume_seed
from forums.models import Comment, Thread
from programmes.search import selectors
from programmes.updates.models import Update
from talkhealth import search
from talkhealth.search import Filters
from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from programmes.updates import services as update_services
from tests.forums.factories import CommentFactory, ThreadFactory, general_board
from tests.programmes.staff.factories import draft_update, published_update

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")

URL = reverse("search:search")


def _results(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def _found(response, obj) -> bool:
    return f'href="{obj.get_absolute_url()}"' in response.content.decode()


# Every hidden state × every role. "author" wrote the thing searched for; the thread cases put the
# word in the thread, the comment cases in a comment by someone else in a thread by a third person.
CASES = {
    # case: (who may see it)
    "thread published": {"anonymous", "resident", "author", "moderator", "staff"},
    "thread held": {"author", "moderator"},
    "thread hidden": {"author", "moderator"},
    "thread removed": {"moderator"},
    "comment published": {"anonymous", "resident", "author", "moderator", "staff"},
    "comment held": {"author", "moderator"},
    "comment hidden": {"author", "moderator"},
    "comment removed": {"moderator"},
    "comment deleted by its author": set(),
    "comment in a held thread": {"moderator"},
    "comment in a hidden thread": {"moderator"},
    "comment in a removed thread": {"moderator"},
    "update published": {"anonymous", "resident", "author", "moderator", "staff"},
    "update draft": set(),
    "update scheduled": set(),
    "update unpublished": set(),
    "update edited after it was unpublished": set(),
}
ROLES = ["anonymous", "resident", "author", "moderator", "staff"]


def _build(case: str, author):
    word = "zanzibar"
    kind, _, state = case.partition(" ")
    if kind == "update":
        return _update(state, author, word)
    if kind == "thread":
        target = ThreadFactory(author=author, title=f"Ferries to {word}", body=f"About {word} crossings.")
        if state != "published":
            Thread.objects.filter(pk=target.pk).update(visibility=state)
        return target
    thread = ThreadFactory(title="Travel to clinics", body="Buses and trains.")
    target = CommentFactory(thread=thread, author=author, body=f"I went via {word} once.")
    if state in {"held", "hidden", "removed"}:
        Comment.objects.filter(pk=target.pk).update(visibility=state)
    elif state == "deleted by its author":
        Comment.objects.filter(pk=target.pk).update(is_deleted=True)
    elif state.startswith("in a "):
        Thread.objects.filter(pk=thread.pk).update(visibility=state.split()[2])
    return target


def _update(state: str, author, word: str):
    """Updates are written by partnership staff, so the "author" role here is a staff member."""
    if state == "draft":
        return draft_update(author, title=f"Ferries to {word}")
    if state == "scheduled":
        draft = draft_update(author, title=f"Ferries to {word}")
        later = timezone.now() + timedelta(days=1)
        return update_services.update_schedule(actor=author, update=draft, publish_at=later)
    if state == "published":
        return published_update(author, title=f"Ferries to {word}")
    update = update_services.update_unpublish(actor=author, update=published_update(author, title="Ferry news"))
    if state == "unpublished":
        return update_services.update_save(
            actor=author, update=update, title=f"Ferries to {word}", summary="Draft.", body=f"About {word}.", tags=""
        )
    return update_services.update_save(
        actor=author, update=update, title="Ferry news", summary="Draft.", body=f"Not yet: {word} crossings.", tags=""
    )


def _viewer(role, author):
    return {
        "anonymous": None,
        "resident": UserFactory,
        "author": lambda: author,
        "moderator": ModeratorFactory,
        "staff": StaffFactory,
    }[role]() if role != "anonymous" else None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_search_shows_each_post_only_to_those_who_may_read_it(client, case, role):
    author = StaffFactory() if case.startswith("update") else UserFactory()
    target = _build(case, author)
    viewer = _viewer(role, author)
    if viewer is not None:
        client.force_login(viewer)
    response = _results(client, "zanzibar")
    assert _found(response, target) is (role in CASES[case]), response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_deleted_comment_is_found_by_nobody_after_its_author_deletes_it(client, role):
    author = UserFactory()
    comment = CommentFactory(author=author, body="Our zanzibar group meets on Tuesdays.")
    services.comment_delete(actor=author, comment=comment)
    viewer = _viewer(role, author)
    if viewer is not None:
        client.force_login(viewer)
    assert not _found(_results(client, "zanzibar"), comment)


def test_moderators_see_the_state_of_what_only_they_can_see(client, moderator):
    thread = ThreadFactory(title="Held zanzibar post")
    Thread.objects.filter(pk=thread.pk).update(visibility="held")
    client.force_login(moderator)
    assert "Held for review" in _results(client, "zanzibar").content.decode()


def test_a_title_match_ranks_above_a_match_in_the_body(client):
    body_only = ThreadFactory(title="Opening hours", body="The physiotherapy unit moved upstairs.")
    in_title = ThreadFactory(title="Physiotherapy waiting lists", body="Twelve weeks is too long.")
    comment = CommentFactory(body="Physiotherapy helped my back.")
    content = _results(client, "physiotherapy").content.decode()
    first = content.index(in_title.get_absolute_url())
    assert first < content.index(body_only.get_absolute_url())
    assert first < content.index(comment.get_absolute_url())


def test_matching_words_are_highlighted_and_everything_written_is_escaped(client):
    ThreadFactory(
        title="<b>Bold</b> pharmacy claims",
        body='My pharmacy said <script>alert("x")</script> and <img src=x onerror=alert(1)> nothing else.',
    )
    content = _results(client, "pharmacy").content.decode()
    assert "<mark>pharmacy</mark>" in content
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>pharmacy</mark> claims" in content
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


@pytest.mark.parametrize(
    "text, html",
    [
        ("plain <b>", "plain &lt;b&gt;"),
        (f"a {search.START}word{search.STOP} b", "a <mark>word</mark> b"),
        (f"{search.START}open {search.START}twice", "<mark>open twice</mark>"),
        (f"close{search.STOP} without opening", "close without opening"),
        (f"{search.START}<i>x</i>{search.STOP}", "<mark>&lt;i&gt;x&lt;/i&gt;</mark>"),
        (None, ""),
    ],
)
def test_highlight_only_ever_adds_balanced_mark_tags(text, html):
    assert search.highlight(text) == html


def test_every_word_must_appear_and_minus_words_must_not(client):
    both = ThreadFactory(title="Dentist and pharmacy", body="Both were closed.")
    dentist_only = ThreadFactory(title="Dentist appointments", body="Hard to find.")
    pharmacy_only = ThreadFactory(title="Pharmacy hours", body="Open late.")
    response = _results(client, "dentist pharmacy")
    assert _found(response, both) and not _found(response, dentist_only) and not _found(response, pharmacy_only)
    response = _results(client, "dentist -pharmacy")
    assert _found(response, dentist_only) and not _found(response, both)


def test_quoted_phrases_match_only_words_together(client):
    together = ThreadFactory(title="Walk-in centre", body="The walk in centre at the station was quick.")
    apart = ThreadFactory(title="Centre news", body="I walk to the centre every day.")
    response = _results(client, '"walk in centre"')
    assert _found(response, together) and not _found(response, apart)


@postgres_only
def test_words_match_their_other_forms_on_postgresql(client):
    thread = ThreadFactory(title="Appointment letters", body="They arrive late.")
    assert _found(_results(client, "appointments"), thread)


@postgres_only
def test_the_stored_vector_follows_edits_and_deletions_on_postgresql(client):
    author = UserFactory()
    comment = CommentFactory(author=author, body="Nothing to see.")
    services.comment_edit(actor=author, comment=comment, body="The podiatry clinic moved.")
    assert _found(_results(client, "podiatry"), comment)
    services.comment_delete(actor=author, comment=comment)
    assert Comment.objects.values_list("search_vector", flat=True).get(pk=comment.pk) == ""


@postgres_only
def test_bulk_loads_fill_the_vectors_on_postgresql(client):
    """seed_volume inserts with bulk_create, past every service: the trigger still fills each vector."""
    seeded = volume_seed(boards=[general_board()], threads=5, comments=60, authors=5, rng=random.Random(3))
    assert not Comment.objects.filter(thread_id__in=seeded.thread_ids, is_deleted=False, search_vector=None).exists()
    assert not Thread.objects.filter(pk__in=seeded.thread_ids, search_vector=None).exists()
    assert _results(client, "interpreter").context["results"].total > 0


def test_filters_by_programme_tag_type_and_date(client):
    prevention = ThreadFactory(title="Vaccination clinics", tags=["vaccines"])
    cancer = ThreadFactory(board=general_board("cancer"), title="Vaccination and cancer treatment")
    reply = CommentFactory(thread=cancer, body="Ask about vaccination before chemotherapy.")
    old = ThreadFactory(title="Vaccination history")
    Thread.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))

    response = _results(client, "vaccination", programme="cancer")
    assert _found(response, cancer) and _found(response, reply) and not _found(response, prevention)
    response = _results(client, "vaccination", tag="Vaccines")
    assert _found(response, prevention) and not _found(response, cancer) and not _found(response, reply)
    response = _results(client, "vaccination", type="comment")
    assert _found(response, reply) and not _found(response, cancer)
    response = _results(client, "vaccination", type="thread")
    assert _found(response, cancer) and not _found(response, reply)
    response = _results(client, "vaccination", date="month")
    assert _found(response, prevention) and not _found(response, old)
    assert _found(_results(client, "vaccination"), old)


def test_an_unknown_tag_is_an_error_on_its_field(client):
    response = _results(client, "vaccination", tag="no such tag")
    assert "There is no tag called “no such tag”" in response.content.decode()
    assert response.context["results"] is None


def test_results_are_paginated(client, monkeypatch):
    monkeypatch.setattr(selectors, "PER_PAGE", 5)
    threads = [ThreadFactory(title=f"Hearing aids {n}", body="Batteries.") for n in range(7)]
    first = _results(client, "hearing")
    assert first.context["results"].total == 7
    assert len(first.context["results"].page.object_list) == 5
    assert "Page 2 of 2" in first.content.decode()
    second = _results(client, "hearing", page=2)
    assert len(second.context["results"].page.object_list) == 2
    shown = {r.url for page in (first, second) for r in page.context["results"].page.object_list}
    assert shown == {t.get_absolute_url() for t in threads}


def test_results_stop_at_the_cap_and_say_so(client, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_RESULTS", 3)
    for n in range(4):
        ThreadFactory(title=f"Audiology {n}")
    results = _results(client, "audiology").context["results"]
    assert results.total == 3 and results.capped


def test_a_very_common_word_is_ranked_over_its_newest_matches(client, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    oldest = ThreadFactory(title="Audiology audiology audiology", body="Audiology.")
    newer = [ThreadFactory(title=f"News {n}", body="Audiology.") for n in range(2)]
    results = _results(client, "audiology", type="thread").context["results"]
    assert results.capped
    assert {r.url for r in results.page.object_list} == {t.get_absolute_url() for t in newer}
    assert oldest.get_absolute_url() not in {r.url for r in results.page.object_list}


def test_an_empty_search_shows_the_form_and_no_results(client):
    response = client.get(URL)
    assert response.status_code == 200 and response.context["results"] is None
    assert _results(client, '  "" - ').context["results"] is None


@pytest.mark.parametrize("q", ["'); DROP TABLE forums_thread; --", "a" * 5000, "&|!:*<->()"])
def test_hostile_searches_are_answered_not_a_server_error(client, q):
    ThreadFactory(title="Something to find")
    assert client.get(URL, {"q": q}).status_code == 200


def test_a_search_with_a_nul_byte_is_refused_with_a_message(client):
    """No query string may carry a NUL byte (talkhealth.middleware): PostgreSQL cannot compare one."""
    response = client.get(URL, {"q": "nul\x00byte"})
    assert response.status_code == 400 and "cannot be used" in response.content.decode()


def test_every_page_has_the_search_box_in_its_header(client):
    content = client.get(reverse("home")).content.decode()
    assert f'action="{URL}"' in content and 'id="search-field"' in content


def test_published_updates_are_found_with_their_programme_and_filters(client, staff):
    update = published_update(
        staff, "cancer", title="Screening vans", summary="Vans visit", body="Mammogram vans visit Croydon.", tags="screening"
    )
    response = _results(client, "mammogram")
    assert _found(response, update) and "Programme update" in response.content.decode()
    assert _found(_results(client, "mammogram", type="update"), update)
    assert not _found(_results(client, "mammogram", type="thread"), update)
    assert not _found(_results(client, "mammogram", programme="prevention"), update)
    assert _found(_results(client, "mammogram", tag="screening"), update)
    assert _found(_results(client, "mammogram", date="week"), update)


@postgres_only
def test_an_updates_stored_vector_is_what_the_search_computed_and_follows_edits(staff):
    """Programmes migration 0006 stores the vector the search used to compute as each query ran, so
    updates match and rank as before; a trigger keeps it when the title, summary or body change."""
    update = published_update(staff, "cancer", title="Screening vans", summary="Vans visit", body="Mammogram vans visit.")
    computed = SearchVector("title", weight="A", config=search.CONFIG) + SearchVector(
        "summary", "body", weight="B", config=search.CONFIG
    )

    def vectors():
        return Update.objects.annotate(computed=computed).values_list("search_vector", "computed").get(pk=update.pk)

    stored, expected = vectors()
    assert stored == expected and "'mammogram'" in stored
    update_services.update_save(actor=staff, update=update, title="Hearing vans", summary="Audiology", body="Tests.")
    stored, expected = vectors()
    assert stored == expected and "'audiolog'" in stored and "mammogram" not in stored


def test_the_selector_ranks_across_kinds(resident):
    thread = ThreadFactory(title="Insulin pumps", body="Who has one?")
    comment = CommentFactory(body="My insulin pump changed my life.")
    found = selectors.site_search(user=resident, terms=search.parse("insulin"), filters=Filters())
    assert [r.url for r in found.page.object_list] == [thread.get_absolute_url(), comment.get_absolute_url()]


@pytest.mark.parametrize("viewer", ["anonymous", "resident"])
def test_a_results_page_costs_the_same_queries_however_many_matches(client, viewer):
    """One query to rank each kind (threads, comments, updates), one to load each kind on the page,
    one for the programme menu; for a signed-in person also the session, the user and their roles;
    on PostgreSQL also turning parallel workers off and on again."""
    if viewer == "resident":
        client.force_login(UserFactory())

    def measure():
        client.get(URL, {"q": "orthotics"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": "orthotics"})
        return response, len(queries)

    def create(count):
        """Threads and comments that match equally well, so every page shows both kinds."""
        for n in range(count):
            CommentFactory(thread=ThreadFactory(title=f"Insoles {n}", body="Orthotics help."), body="Orthotics help!")

    create(2)
    small, small_count = measure()
    create(30)
    large, large_count = measure()
    assert small.context["results"].total == 4 and large.context["results"].total == 64
    assert {r.kind for r in large.context["results"].page.object_list} == {"thread", "comment"}
    serial_plans = 2 if connection.vendor == "postgresql" else 0
    assert small_count == large_count == (6 if viewer == "anonymous" else 9) + serial_plans
