"""RSS and Atom feeds of updates and of a discussion's comments, and the sitemap."""

import pytest

from forums.models import Visibility
from tests.forums.factories import CommentFactory, ThreadFactory
from tests.programmes.staff.factories import draft_update, published_update, upcoming_event

pytestmark = pytest.mark.django_db


def test_site_and_programme_update_feeds_list_published_updates(client, staff):
    cancer = published_update(staff, "cancer", title="Cancer news")
    published_update(staff, "mental-health", title="Mental health news")
    draft_update(staff, "cancer", title="Not yet")

    rss = client.get("/updates/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "<title>Cancer news</title>" in body and "Mental health news" in body and "Not yet" not in body
    assert f"http://testserver{cancer.get_absolute_url()}" in body

    atom = client.get("/programmes/cancer/updates/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Cancer news" in atom.content.decode() and "Mental health news" not in atom.content.decode()
    assert client.get("/programmes/no-such/updates/feed/").status_code == 404


def test_a_discussion_feed_has_its_published_comments_only(client):
    thread = ThreadFactory()
    CommentFactory(thread=thread, body="Visible words")
    CommentFactory(thread=thread, body="Held words", visibility=Visibility.HELD)
    body = client.get(f"/threads/{thread.pk}/feed/").content.decode()
    assert "Visible words" in body and "Held words" not in body
    assert client.get(f"/threads/{thread.pk}/feed/atom/").status_code == 200


def test_a_hidden_discussion_has_no_feed(client):
    thread = ThreadFactory(visibility=Visibility.HIDDEN)
    assert client.get(f"/threads/{thread.pk}/feed/").status_code == 404


def test_the_sitemap_lists_public_pages_only(client, staff):
    update = published_update(staff)
    draft = draft_update(staff, title="Draft")
    thread = ThreadFactory()
    hidden = ThreadFactory(visibility=Visibility.HIDDEN)
    event = upcoming_event(staff)

    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/programmes/cancer/" in body
    assert f"http://testserver{update.get_absolute_url()}" in body
    assert f"http://testserver{thread.get_absolute_url()}" in body
    assert f"http://testserver{event.get_absolute_url()}" in body
    assert f"/updates/{draft.pk}/" not in body and f"/threads/{hidden.pk}/" not in body
    assert body.count(update.get_absolute_url()) == 1
