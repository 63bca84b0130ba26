"""A reply sent back with an error still answers the same comment when it is posted again."""

import pytest

from forums.models import Comment
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _post(client, thread, headers=None, **data):
    return client.post(f"/threads/{thread.pk}/reply/", data, headers=headers or {})


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["no-js", "htmx"])
def test_an_empty_reply_keeps_its_parent_and_the_next_post_lands_under_it(client, resident, headers):
    thread = ThreadFactory()
    parent = CommentFactory(thread=thread, body="Which clinic?")
    client.force_login(resident)

    refused = _post(client, thread, headers, body="", parent=parent.pk)

    page = refused.content.decode()
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in page
    assert "Replying to" in page
    assert Comment.objects.count() == 1

    _post(client, thread, headers, body="The one on the high street.", parent=parent.pk)

    reply = Comment.objects.get(body="The one on the high street.")
    assert (reply.parent_id, reply.depth) == (parent.pk, 2)


def test_posting_too_quickly_keeps_the_parent_without_javascript(client, resident, settings):
    settings.FORUMS_RATE_LIMITS = [(60, 1)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(60, 1)]
    thread = ThreadFactory()
    parent = CommentFactory(thread=thread, body="Which clinic?")
    client.force_login(resident)
    _post(client, thread, body="First reply of the minute.")

    refused = _post(client, thread, body="Too soon after the first.", parent=parent.pk)

    page = refused.content.decode()
    assert "posting too quickly" in page
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in page
    assert "Too soon after the first." in page


def test_a_reply_posted_in_place_updates_the_reply_count_heading(client, resident):
    thread = ThreadFactory()
    parent = CommentFactory(thread=thread, body="Which clinic?")
    client.force_login(resident)

    response = _post(client, thread, HTMX, body="Ours is in Lewisham.", parent=parent.pk)

    page = response.content.decode()
    assert '<h2 id="replies-heading" hx-swap-oob="true">2 replies</h2>' in page
    assert f'data-th-focus="#comment-{Comment.objects.latest("pk").pk}"' in page
