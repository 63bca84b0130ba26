import pytest


@pytest.fixture(autouse=True)
def relaxed_posting_limits(settings):
    """These tests post several times a second; rate limits are tested in tests/forums/test_abuse.py."""
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]
