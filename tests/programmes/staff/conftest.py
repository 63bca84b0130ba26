import pytest

from programmes.models import Programme


@pytest.fixture(autouse=True)
def relaxed_posting_limits(settings):
    """Tests post several comments a second; the forums' own tests cover the real limits."""
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]


@pytest.fixture
def cancer(db):
    return Programme.objects.get(slug="cancer")


@pytest.fixture
def mental_health(db):
    return Programme.objects.get(slug="mental-health")
