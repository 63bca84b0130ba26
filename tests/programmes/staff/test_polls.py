"""Polls: one vote per confirmed resident, enforced by the database; results after voting or closing."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from programmes.polls import selectors, services
from programmes.polls.models import PollBallot, PollVote
from tests.factories import UserFactory
from tests.programmes.staff.factories import open_poll, published_update

pytestmark = pytest.mark.django_db


def _choice(poll, text):
    return poll.choices.get(text=text).pk


def test_a_single_choice_vote_counts_once_and_shows_the_results(client, staff, resident):
    poll = open_poll(staff)
    url = poll.get_absolute_url()
    client.force_login(resident)
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and "Results so far" not in page

    response = client.post(f"{url}vote/", {"choice": _choice(poll, "Yes"), "next": url}, follow=True)
    page = response.content.decode()
    assert "Thank you: your vote has been counted." in page
    # One vote is a figure about fewer than 10 people: shown as such, with no percentage to give it away.
    assert "Results so far: fewer than 10 votes" in page and "100%" not in page and "Your vote" in page

    response = client.post(f"{url}vote/", {"choice": _choice(poll, "No"), "next": url})
    assert response.status_code == 400 and "You have already voted in this poll." in response.content.decode()
    assert PollBallot.objects.count() == 1 and PollVote.objects.get().choice.text == "Yes"


def test_a_multiple_choice_vote_records_each_answer_and_percentages_are_of_voters(staff):
    poll = open_poll(staff, kind="multiple", choices=["Evenings", "Weekends", "Online"])
    a, b = UserFactory(), UserFactory()
    services.poll_vote(actor=a, poll=poll, choice_ids=[_choice(poll, "Evenings"), _choice(poll, "Online")])
    services.poll_vote(actor=b, poll=poll, choice_ids=[_choice(poll, "Evenings")])

    view = selectors.poll_view(poll=poll, user=a)
    results = {c.text: (c.vote_total, c.percent) for c in view.choices}
    assert view.ballots == 2 and results == {"Evenings": (2, 100), "Weekends": (0, 0), "Online": (1, 50)}
    assert view.has_voted and view.show_results and not view.can_vote


@pytest.mark.parametrize(
    ("choices", "message"),
    [([], "Choose an answer."), (["Yes", "No"], "Choose one answer."), ([999_999], "Choose from the answers given.")],
)
def test_bad_votes_are_refused_with_a_clear_message(staff, resident, choices, message):
    poll = open_poll(staff)
    ids = [_choice(poll, c) if isinstance(c, str) else c for c in choices]
    with pytest.raises(ValidationError, match=message):
        services.poll_vote(actor=resident, poll=poll, choice_ids=ids)
    assert not PollBallot.objects.exists()


def test_votes_only_while_the_poll_is_open(staff, resident):
    now = timezone.now()
    later = open_poll(staff, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    closed = open_poll(staff, opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    with pytest.raises(ValidationError, match="not opened yet"):
        services.poll_vote(actor=resident, poll=later, choice_ids=[_choice(later, "Yes")])
    with pytest.raises(ValidationError, match="closed"):
        services.poll_vote(actor=resident, poll=closed, choice_ids=[_choice(closed, "Yes")])


def test_results_show_to_everyone_once_the_poll_closes(client, staff):
    poll = open_poll(staff)
    services.poll_vote(actor=UserFactory(), poll=poll, choice_ids=[_choice(poll, "No")])
    assert "Results" not in client.get(poll.get_absolute_url()).content.decode()
    type(poll).objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Results: fewer than 10 votes" in page and 'type="radio"' not in page


@pytest.mark.parametrize("role", ["anonymous", "unverified"])
def test_only_confirmed_residents_vote(client, staff, role):
    from django.contrib.auth.models import AnonymousUser

    poll = open_poll(staff)
    actor = AnonymousUser() if role == "anonymous" else UserFactory(unverified=True)
    with pytest.raises(PermissionDenied):
        services.poll_vote(actor=actor, poll=poll, choice_ids=[_choice(poll, "Yes")])


def test_staff_see_results_by_borough_with_small_numbers_suppressed(client, staff):
    poll = open_poll(staff)
    votes = [("croydon", "Yes"), ("croydon", "No"), ("hackney", "Yes"), ("", "Yes")]
    votes += [("camden", "Yes")] * 12 + [("camden", "No")] * 3
    for borough, answer in votes:
        services.poll_vote(actor=UserFactory(borough=borough), poll=poll, choice_ids=[_choice(poll, answer)])
    rows = {
        r.label: (r.ballots, r.counts, r.voters, r.cells)
        for r in selectors.results_by_borough(poll=poll, choices=list(poll.choices.all()))
    }
    small = "fewer than 10"
    assert rows == {
        "Camden": (15, [12, 3, 0], "15", ["12 (80%)", small, small]),
        "Croydon": (2, [1, 1, 0], small, [small, small, small]),
        "Hackney": (1, [1, 0, 0], small, [small, small, small]),
        "Not given": (1, [1, 0, 0], small, [small, small, small]),
    }
    client.force_login(staff)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Results by borough (staff only)" in page and "Croydon" in page and "12 (80%)" in page
    assert "100%" not in page.split("Results by borough")[1]
    client.force_login(UserFactory())
    assert "Results by borough" not in client.get(poll.get_absolute_url()).content.decode()


def test_a_poll_inside_an_update_is_voted_on_the_update_page_with_htmx(client, staff, resident):
    update = published_update(staff)
    poll = open_poll(staff, update=update)
    client.force_login(resident)
    page = client.get(update.get_absolute_url()).content.decode()
    assert f'id="poll-{poll.pk}"' in page and poll.question in page

    response = client.post(
        f"{poll.get_absolute_url()}vote/",
        {"choice": _choice(poll, "Not sure"), "next": update.get_absolute_url()},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert fragment.strip().startswith('<section class="nhsuk-card th-poll"') and "Results so far: fewer than 10 votes" in fragment


def test_staff_create_a_poll_and_its_answers_are_fixed_once_people_vote(client, staff, cancer):
    client.force_login(staff)
    now = timezone.localtime()
    data = {
        "programme": cancer.pk,
        "update": "",
        "question": "Which day suits you?",
        "description": "",
        "kind": "single",
        "choices": "Monday\nTuesday\n\n",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post("/staff/polls/new/", data, follow=True)
    poll = cancer.polls.get()
    assert "The poll has been saved." in response.content.decode()
    assert [c.text for c in poll.choices.all()] == ["Monday", "Tuesday"]

    services.poll_vote(actor=UserFactory(), poll=poll, choice_ids=[_choice(poll, "Monday")])
    response = client.post(f"/staff/polls/{poll.pk}/", {**data, "choices": "Monday\nWednesday"})
    assert response.status_code == 400 and "already voted" in response.content.decode()
    assert [c.text for c in poll.choices.all()] == ["Monday", "Tuesday"]


def test_a_poll_must_close_after_it_opens_and_have_two_answers(staff, cancer):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.poll_save(
            actor=staff,
            programme=cancer,
            question="Q?",
            kind="single",
            opens_at=now,
            closes_at=now - timedelta(hours=1),
            choices=["Only one"],
        )
    assert set(error.value.message_dict) == {"closes_at", "choices"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_person_voting_twice_at_once_counts_once():
    """Two requests from one person race to vote. PostgreSQL's unique index makes the second wait
    for the first, then fail; exactly one ballot is counted."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite runs one writer at a time")
    from tests.factories import StaffFactory

    poll = open_poll(StaffFactory())
    voter = UserFactory()
    yes = _choice(poll, "Yes")
    start = threading.Barrier(4)
    outcomes = []

    def vote():
        try:
            start.wait()
            services.poll_vote(actor=voter, poll=poll, choice_ids=[yes])
            outcomes.append("counted")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=vote) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(outcomes) == ["already_voted"] * 3 + ["counted"]
    assert (
        PollBallot.objects.filter(poll=poll).count() == 1 and PollVote.objects.filter(ballot__poll=poll).count() == 1
    )


def test_the_poll_page_is_headed_by_its_question(client, staff):
    poll = open_poll(staff, question="Should practices open on Saturday mornings?")

    page = client.get(f"/programmes/cancer/polls/{poll.pk}/").content.decode()

    assert "<h1>Should practices open on Saturday mornings?</h1>" in page
    assert "<h1>Poll</h1>" not in page


def test_public_results_show_figures_once_ten_people_have_voted(client, staff):
    poll = open_poll(staff)
    for _ in range(12):
        services.poll_vote(actor=UserFactory(), poll=poll, choice_ids=[_choice(poll, "Yes")])
    services.poll_vote(actor=UserFactory(), poll=poll, choice_ids=[_choice(poll, "No")])
    type(poll).objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    page = client.get(poll.get_absolute_url()).content.decode()

    assert "Results: 13 votes" in page and "92% (12 votes)" in page
    assert "8%" not in page and page.count("fewer than 10 votes") == 2  # "No" (1 vote) and "Not sure" (none)
