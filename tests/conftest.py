import pytest

from tests.factories import ModeratorFactory, StaffFactory, UserFactory


@pytest.fixture
def resident(db):
    return UserFactory()


@pytest.fixture
def unverified(db):
    return UserFactory(unverified=True)


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()
