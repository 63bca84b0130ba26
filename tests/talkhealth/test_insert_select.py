import pytest
from django.db.models import F, Value

from accounts.models import EqualitySnapshot, Notification, User
from programmes.models import Programme
from talkhealth.insert_select import insert_select
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_row_for_each_row_selected_in_order_up_to_the_limit_with_defaults_for_the_rest():
    people = [UserFactory() for _ in range(3)]

    returned = insert_select(
        Notification,
        User.objects.filter(pk__in=[person.pk for person in people]).order_by("-pk"),
        {"recipient_id": F("pk"), "category": Value("reply"), "event_key": Value("test:1"), "title": F("display_name")},
        limit=2,
        returning=("id", "recipient"),
    )

    assert sorted(recipient for _, recipient in returned) == [people[1].pk, people[2].pk]
    rows = Notification.objects.filter(pk__in=[pk for pk, _ in returned])
    assert sorted(rows.values_list("title", "email_status", "email_attempts", "email_error", "read_at")) == [
        (people[1].display_name, "skipped", 0, "", None),
        (people[2].display_name, "skipped", 0, "", None),
    ]


def test_rows_a_unique_constraint_refuses_are_skipped_when_asked():
    person, programme = UserFactory(), Programme.objects.first()
    values = {"user_id": F("pk"), "programme_id": Value(programme.pk), "day": Value("2026-12-01"), "borough": Value("")}
    for _ in range(2):
        insert_select(EqualitySnapshot, User.objects.filter(pk=person.pk), values, ignore_conflicts=True)
    assert EqualitySnapshot.objects.filter(user=person).count() == 1


def test_a_field_the_model_does_not_have_is_refused_before_any_sql():
    with pytest.raises(TypeError, match="no fields"):
        insert_select(Notification, User.objects.all(), {"recipient_id": F("pk"), "colour": Value("red")})
    assert not Notification.objects.exists()
