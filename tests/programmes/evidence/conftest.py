import pytest

from programmes.models import Programme


@pytest.fixture
def cancer(db):
    return Programme.objects.get(slug="cancer")
