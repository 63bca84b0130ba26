"""Who may read and mark notifications: each permission by role and state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    (lambda: AnonymousUser(), False),
    (lambda: UserFactory(unverified=True), True),
    (lambda: UserFactory(), True),
    (lambda: UserFactory(roles=["moderator"]), True),
    (lambda: UserFactory(roles=["staff"]), True),
]
IDS = ["anonymous", "unverified", "resident", "moderator", "staff"]


@pytest.mark.parametrize(("person", "allowed"), PEOPLE, ids=IDS)
def test_anyone_signed_in_has_an_inbox(person, allowed):
    assert person().has_perm("accounts.read_notifications") is allowed


@pytest.mark.parametrize(("person", "_"), PEOPLE, ids=IDS)
def test_only_the_recipient_may_mark_a_notification(person, _):
    someone = person()
    others = Notification(recipient=UserFactory())
    assert someone.has_perm("accounts.mark_notification", others) is False
    if someone.is_authenticated:
        assert someone.has_perm("accounts.mark_notification", Notification(recipient=someone)) is True
