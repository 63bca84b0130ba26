import pytest

from programmes.models import Programme


@pytest.fixture
def cancer(db):
    return Programme.objects.get(slug="cancer")


@pytest.fixture
def mental_health(db):
    return Programme.objects.get(slug="mental-health")
