import pytest

from tests.forums.factories import general_board


@pytest.fixture(autouse=True)
def relaxed_posting_limits(settings):
    """Most tests post several times a second; the abuse tests set the real limits themselves."""
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]


@pytest.fixture
def board(db):
    return general_board()
