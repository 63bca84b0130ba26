"""Codebook, coding, runs, quotes and decisions through the services, as the staff pages use them."""

import socket

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from forums import services as forum_services
from forums.models import Comment
from programmes.contributions.corpus import corpus_items
from programmes.themes import discovery, outcomes, services
from programmes.themes.public import live_quotes
from programmes.themes.models import Coding, CodingStatus, DiscoveryRun, ThemeChange, ThemeStatus
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

from ..factories import published_update
from .conftest import seed_planted

pytestmark = pytest.mark.django_db


def test_corpus_has_published_posts_only_with_context():
    thread = ThreadFactory(board=general_board("cancer"), body="Opening words")
    top = CommentFactory(thread=thread, body="First reply")
    reply = CommentFactory(parent=top, body="Second reply")
    CommentFactory(thread=thread, body="Removed words", visibility="removed")
    CommentFactory(thread=thread, body="Deleted words", is_deleted=True)
    items = {i.key: i for i in corpus_items(programme=thread.board.programme)}
    assert set(items) == {f"thread:{thread.pk}", f"comment:{top.pk}", f"comment:{reply.pk}"}
    assert items[f"comment:{top.pk}"].parent_text == "Opening words"
    assert items[f"comment:{reply.pk}"].parent_text == "First reply"
    assert items[f"comment:{reply.pk}"].participant == f"user:{reply.author_id}"
    assert items[f"comment:{reply.pk}"].thread_title == thread.title
    assert corpus_items(programme=general_board("prevention").programme) == []


def test_only_staff_change_the_codebook(cancer, resident):
    with pytest.raises(PermissionDenied):
        services.theme_create(actor=resident, programme=cancer, name="Waiting")


def test_codebook_changes_are_audited(staff, cancer):
    waiting = services.theme_create(actor=staff, programme=cancer, name="Waiting")
    gp = services.theme_create(actor=staff, programme=cancer, name="GP waits", parent=waiting)
    services.theme_edit(actor=staff, theme=waiting, name="Waiting times", description="Delays to care")
    with pytest.raises(ValidationError):
        services.theme_create(actor=staff, programme=cancer, name="waiting TIMES")
    with pytest.raises(ValidationError):
        services.theme_create(actor=staff, programme=cancer, name="Too deep", parent=gp)
    summaries = list(ThemeChange.objects.filter(theme=waiting).values_list("action", "summary"))
    assert ("edited", "Renamed “Waiting” to “Waiting times”. Changed the description or inclusion notes.") in summaries
    assert ("created", "Created “Waiting”.") in summaries


def test_merge_moves_codes_and_split_moves_chosen_items(staff, cancer):
    planted = seed_planted(cancer, per_theme=4)
    keys = sorted(planted)
    a = services.theme_create(actor=staff, programme=cancer, name="A")
    b = services.theme_create(actor=staff, programme=cancer, name="B")
    services.items_code(actor=staff, programme=cancer, codes={keys[0]: {a.pk}, keys[1]: {a.pk, b.pk}, keys[2]: {b.pk}})
    services.theme_merge(actor=staff, source=a, target=b)
    a.refresh_from_db()
    assert (a.status, a.merged_into_id) == (ThemeStatus.MERGED, b.pk)
    assert sorted(c.key for c in Coding.objects.filter(theme=b)) == sorted(keys[:3])
    new = services.theme_split(actor=staff, theme=b, name="C", keys=[keys[0]])
    assert [c.key for c in Coding.objects.filter(theme=new)] == [keys[0]]
    services.theme_retire(actor=staff, theme=new)
    assert ThemeChange.objects.filter(theme=new, action="retired").exists()


def test_coding_rejects_items_of_another_programme(staff, cancer):
    other = ThreadFactory(board=general_board("prevention"))
    theme = services.theme_create(actor=staff, programme=cancer, name="A")
    with pytest.raises(ValidationError):
        services.items_code(actor=staff, programme=cancer, codes={f"thread:{other.pk}": {theme.pk}})


def _discover(staff, programme, capture, **kwargs):
    with capture(execute=True):
        run = discovery.run_request(actor=staff, programme=programme, **kwargs)
    return DiscoveryRun.objects.get(pk=run.pk)


def test_a_discovery_run_is_stored_and_repeats_exactly(staff, cancer, django_capture_on_commit_callbacks, monkeypatch):
    seed_planted(cancer, per_theme=20)

    def refuse(*args, **kwargs):
        raise AssertionError("a theme run opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    first = _discover(staff, cancer, django_capture_on_commit_callbacks)
    second = _discover(staff, cancer, django_capture_on_commit_callbacks)
    assert first.status == second.status == DiscoveryRun.Status.DONE
    assert first.corpus_size == 105 and len(first.corpus_sha256) == 64
    assert first.corpus_sha256 == second.corpus_sha256
    assert first.versions["scikit-learn"] and first.parameters["random_state"] == 0 and first.duration_ms is not None
    shape = lambda run: [(p.terms, p.suggested_name, p.examples, p.size) for p in run.proposals.all()]
    assert shape(first) == shape(second) and len(shape(first)) == first.k


def test_suggestions_count_only_once_confirmed(staff, cancer, django_capture_on_commit_callbacks):
    planted = seed_planted(cancer, per_theme=40)
    themes = {
        name: services.theme_create(actor=staff, programme=cancer, name=name) for name in sorted(set(planted.values()))
    }
    codes, seen = {}, {}
    for key, name in sorted(planted.items()):
        if seen.setdefault(name, 0) < 22:
            codes[key] = {themes[name].pk}
            seen[name] += 1
    services.items_code(actor=staff, programme=cancer, codes=codes)
    _discover(staff, cancer, django_capture_on_commit_callbacks, job=DiscoveryRun.Job.SUGGEST)
    suggested = Coding.objects.filter(programme=cancer, status=CodingStatus.SUGGESTED)
    assert suggested.count() > 50
    right = sum(1 for c in suggested.select_related("theme") if planted[c.key] == c.theme.name)
    assert right / suggested.count() >= 0.85
    confirmed_before = Coding.objects.filter(status=CodingStatus.CONFIRMED).count()
    first, second = suggested.order_by("pk")[:2]
    services.suggestions_decide(actor=staff, programme=cancer, coding_ids=[first.pk], confirm=True)
    services.suggestions_decide(actor=staff, programme=cancer, coding_ids=[second.pk], confirm=False)
    assert Coding.objects.filter(status=CodingStatus.CONFIRMED).count() == confirmed_before + 1
    assert Coding.objects.get(pk=second.pk).status == CodingStatus.REJECTED


def test_quotes_come_from_coded_published_items_without_personal_information(staff, cancer):
    thread = ThreadFactory(
        board=general_board("cancer"), author=UserFactory(borough="croydon"), body="The bus is slow."
    )
    ring = CommentFactory(thread=thread)
    # Written before the guard existed, or let through by a moderator.
    Comment.objects.filter(pk=ring.pk).update(body="Ring me on 020 7946 0018 about the bus.")
    theme = services.theme_create(actor=staff, programme=cancer, name="Transport")
    with pytest.raises(ValidationError):
        outcomes.quote_choose(actor=staff, theme=theme, key=f"thread:{thread.pk}")
    services.items_code(
        actor=staff, programme=cancer, codes={f"thread:{thread.pk}": {theme.pk}, f"comment:{ring.pk}": {theme.pk}}
    )
    quote = outcomes.quote_choose(actor=staff, theme=theme, key=f"thread:{thread.pk}")
    assert quote.attribution == "Resident, Croydon, online"
    assert [q.text for q in live_quotes([quote], cancer)] == ["The bus is slow."]
    with pytest.raises(ValidationError, match="a phone number"):
        outcomes.quote_choose(actor=staff, theme=theme, key=f"comment:{ring.pk}")


def test_linking_a_decision_tells_each_contributor_once(staff, cancer, django_capture_on_commit_callbacks):
    thread = ThreadFactory(board=general_board("cancer"))
    one, two, bystander = CommentFactory(thread=thread), CommentFactory(thread=thread), CommentFactory(thread=thread)
    again = CommentFactory(thread=thread, author=one.author)
    theme = services.theme_create(actor=staff, programme=cancer, name="Evening clinics")
    services.items_code(
        actor=staff,
        programme=cancer,
        codes={f"comment:{c.pk}": {theme.pk} for c in (one, two, again)} | {f"thread:{thread.pk}": {theme.pk}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        update = published_update(staff, "cancer")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        decision = outcomes.theme_decision_link(actor=staff, theme=theme, update=update)
    told = sorted(Notification.objects.filter(event_key=decision.event_key).values_list("recipient_id", flat=True))
    assert told == sorted({one.author_id, two.author_id, thread.author_id})
    assert bystander.author_id not in told and decision.people_told == 3
    note = Notification.objects.filter(event_key=decision.event_key).first()
    assert note.url == update.get_absolute_url() and "Evening clinics" in note.title
    with pytest.raises(ValidationError):
        outcomes.theme_decision_link(actor=staff, theme=theme, update=update)


def test_an_official_response_can_be_the_decision(staff, cancer, django_capture_on_commit_callbacks):
    thread = ThreadFactory(board=general_board("cancer"))
    voice = CommentFactory(thread=thread)
    with django_capture_on_commit_callbacks(execute=True):
        response = forum_services.comment_post(actor=staff, thread=thread, body="We will open later.", official=True)
    theme = services.theme_create(actor=staff, programme=cancer, name="Opening hours")
    services.items_code(actor=staff, programme=cancer, codes={f"comment:{voice.pk}": {theme.pk}})
    with django_capture_on_commit_callbacks(execute=True):
        decision = outcomes.theme_decision_link(actor=staff, theme=theme, response=response)
    assert Notification.objects.filter(event_key=decision.event_key, recipient=voice.author).exists()
    with pytest.raises(ValidationError):
        outcomes.theme_decision_link(actor=staff, theme=theme, response=voice)
