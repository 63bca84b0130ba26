import pytest

from accounts.models import EqualitySnapshot, Notification, User
from programmes.models import Programme
from talkhealth.insert_select import SQL, insert_select
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_row_for_each_source_row_in_order_up_to_its_slice_with_defaults_for_the_rest():
    people = [UserFactory() for _ in range(3)]
    source = User.objects.filter(pk__in=[person.pk for person in people]).order_by("-pk")

    returned = insert_select(
        Notification,
        {
            "recipient": SQL('source."pk"'),
            "category": "reply",
            "event_key": "test:1",
            "title": SQL("%s || source.\"display_name\"", ("Hello ",)),
        },
        source.values_list("pk", "display_name")[:2],
        returning=("id", "recipient"),
    )

    assert sorted(recipient for _, recipient in returned) == [people[1].pk, people[2].pk]
    rows = Notification.objects.filter(pk__in=[pk for pk, _ in returned])
    assert sorted(rows.values_list("title", "email_status", "email_attempts", "email_error", "read_at")) == [
        (f"Hello {people[1].display_name}", "skipped", 0, "", None),
        (f"Hello {people[2].display_name}", "skipped", 0, "", None),
    ]


def test_rows_a_unique_constraint_refuses_are_skipped_when_asked():
    person, programme = UserFactory(), Programme.objects.first()
    values = {"user": SQL('source."pk"'), "programme": programme.pk, "day": "2026-12-01", "borough": ""}
    for _ in range(2):
        source = User.objects.filter(pk=person.pk).values_list("pk")
        insert_select(EqualitySnapshot, values, source, ignore_conflicts=True)
    assert EqualitySnapshot.objects.filter(user=person).count() == 1


def test_a_field_the_model_does_not_have_is_refused_before_any_sql():
    with pytest.raises(TypeError, match="no fields"):
        insert_select(Notification, {"recipient": SQL('source."pk"'), "colour": "red"}, User.objects.values_list("pk"))
    assert not Notification.objects.exists()
