import pytest

from tests.forums.factories import general_board


@pytest.fixture
def board(db):
    return general_board()
