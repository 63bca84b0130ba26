import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("perm", ["forums.add_thread", "forums.add_comment"])
@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        (lambda: AnonymousUser(), False),
        (lambda: UserFactory(unverified=True), False),
        (lambda: UserFactory(is_active=False), False),
        (lambda: UserFactory(), True),
        (lambda: UserFactory(roles=["moderator"]), True),
        (lambda: UserFactory(roles=["staff"]), True),
    ],
    ids=["anonymous", "unverified", "deactivated", "resident", "moderator", "staff"],
)
def test_only_people_with_a_confirmed_email_may_post(perm, person, allowed):
    assert person().has_perm(perm) is allowed
