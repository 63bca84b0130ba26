import pytest
from django.core.cache import cache

from tests.factories import ModeratorFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Each test starts with an empty local-memory cache: cached values keyed by a person's id (the
    moderators' badge) would otherwise leak to a later test whose person reuses that id."""
    cache.clear()


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
