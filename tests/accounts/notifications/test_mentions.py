"""@mentions: display names have spaces, so the longest existing name after "@" wins."""

import pytest

from accounts.notifications.mentions import MAX_MENTIONS, mentioned_users
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def names(text):
    return [user.display_name for user in mentioned_users(text)]


def test_a_name_with_spaces_is_found_ignoring_case_and_trailing_punctuation():
    UserFactory(display_name="Jo Bloggs")

    assert names("Thanks @jo bloggs, that helped.") == ["Jo Bloggs"]


def test_the_longest_existing_name_wins():
    UserFactory(display_name="Sam")
    UserFactory(display_name="Sam Lee")

    assert names("As @Sam Lee said") == ["Sam Lee"]
    assert names("As @Sam said") == ["Sam"]


def test_a_name_is_not_matched_inside_a_longer_word():
    UserFactory(display_name="Ann")

    assert names("@Annabel is not Ann") == []


def test_an_email_address_is_not_a_mention():
    UserFactory(display_name="example")

    assert names("write to someone@example.com") == []


def test_quotes_and_code_are_not_mentions():
    UserFactory(display_name="Jo Bloggs")

    assert names("> @Jo Bloggs wrote this\n\nand `@Jo Bloggs` in code") == []


def test_apostrophes_and_hyphens_in_names():
    UserFactory(display_name="Mary-Jane O'Neil")

    assert names("@Mary-Jane O'Neil's idea is good") == ["Mary-Jane O'Neil"]


def test_each_person_once_in_order_and_unknown_names_ignored():
    UserFactory(display_name="Alpha One")
    UserFactory(display_name="Beta Two")

    assert names("@Beta Two @Nobody Here @Alpha One and again @beta two") == ["Beta Two", "Alpha One"]


def test_inactive_people_are_not_mentioned():
    UserFactory(display_name="Gone Away", is_active=False)

    assert names("@Gone Away") == []


def test_at_most_ten_people_per_post():
    people = [UserFactory(display_name=f"Mention Person {n}") for n in range(MAX_MENTIONS + 3)]

    found = mentioned_users(" ".join(f"@{p.display_name}" for p in people))

    assert len(found) == MAX_MENTIONS


def test_one_query_for_any_number_of_mentions(django_assert_num_queries):
    UserFactory(display_name="Jo Bloggs")
    with django_assert_num_queries(1):
        mentioned_users("@Jo Bloggs @someone else @third person here")
    with django_assert_num_queries(0):
        mentioned_users("no mentions at all")
