import pytest
from django.urls import reverse
from django.utils.html import escape

from programmes.models import Programme

pytestmark = pytest.mark.django_db

SLUGS = [
    "prevention", "children", "mental-health", "cancer", "homeless-health", "urgent-care", "primary-care",
    "specialised-care", "estates", "funding", "workforce", "digital", "engagement",
]


def test_the_13_programmes_are_seeded_in_order_with_their_published_names():
    assert list(Programme.objects.values_list("slug", flat=True)) == SLUGS
    assert Programme.objects.get(slug="cancer").name == (
        "Enabling all Londoners to access the best cancer care in the world"
    )
    assert all(len(summary) > 80 for summary in Programme.objects.values_list("summary", flat=True))


def test_index_lists_every_programme_with_its_summary_and_link(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("programmes:index"))
    body = response.content.decode()
    for programme in Programme.objects.all():
        assert escape(programme.name) in body
        assert f'href="/programmes/{programme.slug}/"' in body


def test_home_lists_the_programmes(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Transforming London&#x27;s primary care" in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_each_hub_shows_its_programme(client, slug):
    response = client.get(f"/programmes/{slug}/")
    assert response.status_code == 200
    assert escape(Programme.objects.get(slug=slug).summary) in response.content.decode()


def test_unknown_programme_is_a_404_in_the_site_layout(client):
    response = client.get("/programmes/no-such-programme/")
    assert response.status_code == 404
    assert "nhsuk-header" in response.content.decode()


def test_the_hub_advertises_its_programme_update_feeds(client):
    page = client.get("/programmes/cancer/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml" title="Cancer updates (RSS)" href="/programmes/cancer/updates/feed/">' in page
    assert 'href="/programmes/cancer/updates/feed/atom/">Atom' in page
