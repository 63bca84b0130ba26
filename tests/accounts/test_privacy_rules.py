"""Who may delete an account or download its data: only its owner, whatever their role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from forums.moderation import services as moderation
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = {
    "anonymous": AnonymousUser,
    "unverified": lambda: UserFactory(unverified=True),
    "resident": UserFactory,
    "suspended": UserFactory,
    "moderator": ModeratorFactory,
    "staff": StaffFactory,
}


@pytest.mark.parametrize("perm", ["accounts.delete_user", "accounts.export_data"])
@pytest.mark.parametrize("role", PEOPLE)
def test_only_the_owner_may_delete_or_download_an_account(role, perm):
    person = PEOPLE[role]()
    if role == "suspended":
        moderation.user_suspend(actor=ModeratorFactory(), user=person, days=7, reason="Test.")
    someone_else = UserFactory()
    assert person.has_perm(perm, someone_else) is False
    assert person.has_perm(perm, person) is person.is_authenticated
