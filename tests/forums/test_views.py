"""Discussion pages, with and without JavaScript: what each visitor sees and what each form does."""

import pytest
from django.urls import reverse

from forums import services
from programmes.responses import services as responses
from forums.models import Comment, Thread, ThreadFollow, ThreadLike, Visibility
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _text(response) -> str:
    return response.content.decode()


def _new_thread_url(programme="prevention", board="general"):
    return reverse("forums:thread_create", args=[programme, board])


# Reading


def test_the_board_lists_its_threads_with_pinned_ones_first(client, board):
    older = ThreadFactory(board=board, title="Older but pinned", is_pinned=True)
    newer = ThreadFactory(board=board, title="Newer")
    ThreadFactory(board=board, title="Held thread", visibility=Visibility.HELD)

    page = _text(client.get(reverse("forums:board", args=["prevention", "general"])))

    assert page.index(older.title) < page.index(newer.title)
    assert "Held thread" not in page
    assert _new_thread_url() in page


def test_thread_lists_show_where_the_partnership_stands_on_each_discussion(client, board, staff):
    considered = ThreadFactory(board=board, title="Evening clinics")
    ThreadFactory(board=board, title="Parking")
    responses.thread_status_set(actor=staff, thread=considered, status="considering")

    page = _text(client.get(reverse("forums:board", args=["prevention", "general"])))

    items = {item.split("</a>")[0].rsplit(">", 1)[-1]: item for item in page.split('class="th-thread-list__item"')[1:]}
    assert '<span class="nhsuk-u-visually-hidden">Status: </span>Under consideration' in items["Evening clinics"]
    assert "Status: " not in items["Parking"]


def test_the_thread_page_shows_the_opening_post_replies_and_tags(client):
    thread = ThreadFactory(title="Walk-in centres", body="Where is the *nearest*?", tags=["urgent care"])
    top = CommentFactory(thread=thread, body="Try NHS 111 first")
    CommentFactory(parent=top, body="Good advice")

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 200
    page = _text(response)
    assert "<h1 id=\"thread-title\">Walk-in centres</h1>" in page
    assert "Where is the <em>nearest</em>?" in page
    assert "Try NHS 111 first" in page and "Good advice" in page
    assert reverse("forums:tag", args=["urgent-care"]) in page
    assert "2 replies" in page


def test_a_thread_url_with_the_wrong_slug_redirects_to_the_right_one_keeping_the_query(client):
    thread = ThreadFactory(title="Right title")

    response = client.get(reverse("forums:thread", args=[thread.pk, "wrong"]) + "?sort=newest")

    assert response.status_code == 302
    assert response["Location"] == f"/threads/{thread.pk}/right-title/?sort=newest"
    assert client.get(reverse("forums:thread_short", args=[thread.pk]))["Location"] == thread.get_absolute_url()


@pytest.mark.parametrize("title", ["Reply", "Like", "Follow", "Pin", "Lock", "Report"])
def test_a_thread_whose_title_matches_an_action_still_opens(client, title):
    """A title's slug must never be taken for an action URL under the same thread."""
    thread = ThreadFactory(title=title)

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 200
    assert f"<h1 id=\"thread-title\">{title}</h1>" in _text(response)


def test_a_thread_held_for_review_is_hidden_from_others_but_shown_to_its_author_and_moderators(client, moderator):
    thread = ThreadFactory(visibility=Visibility.HELD)

    assert client.get(thread.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(thread.get_absolute_url()).status_code == 404
    client.force_login(thread.author)
    assert "Only you and the moderators can see it" in _text(client.get(thread.get_absolute_url()))
    client.force_login(moderator)
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_anonymous_visitors_are_invited_to_sign_in_to_reply(client):
    thread = ThreadFactory()

    page = _text(client.get(thread.get_absolute_url()))

    assert "to reply" in page and reverse("account_login") in page
    assert 'name="body"' not in page


def test_unconfirmed_people_are_asked_to_confirm_their_email_to_reply(client, unverified):
    thread = ThreadFactory()
    client.force_login(unverified)

    page = _text(client.get(thread.get_absolute_url()))

    assert "Confirm your email address to reply" in page
    assert 'name="body"' not in page


def test_the_tag_page_lists_threads_with_that_tag_across_programmes(client):
    from tests.forums.factories import general_board

    here = ThreadFactory(title="Here", tags=["waiting times"])
    there = ThreadFactory(title="There", tags=["Waiting Times"], board=general_board("cancer"))
    ThreadFactory(title="Elsewhere", tags=["parking"])

    page = _text(client.get(reverse("forums:tag", args=["waiting-times"])))

    assert here.title in page and there.title in page
    assert "Elsewhere" not in page
    assert client.get(reverse("forums:tag", args=["no-such-tag"])).status_code == 404


def test_tag_suggestions_offer_existing_tags_for_the_last_one_typed(client):
    ThreadFactory(tags=["waiting times", "walk-in", "gp"])

    page = _text(client.get(reverse("forums:tag_suggest"), {"tags": "gp, Wa"})).strip()

    assert page == '<option value="waiting times"></option><option value="walk-in"></option>'


# Starting a discussion


def test_starting_a_discussion_needs_a_sign_in(client):
    response = client.get(_new_thread_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_resident_starts_a_discussion_and_lands_on_it(client, resident):
    client.force_login(resident)

    response = client.post(
        _new_thread_url(), {"title": " My  first post ", "body": "Hello", "tags": "GP, waiting times"}, follow=True
    )

    thread = Thread.objects.get()
    assert response.redirect_chain[-1][0] == thread.get_absolute_url()
    assert thread.title == "My first post"
    assert sorted(thread.tags.names()) == ["gp", "waiting times"]
    assert "Your discussion has been posted." in _text(response)


# Replying


def test_a_reply_without_javascript_redirects_to_the_new_comment(client, resident):
    thread = ThreadFactory()
    client.force_login(resident)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": "My reply"}, follow=True)

    comment = Comment.objects.get()
    assert response.redirect_chain[0][0] == reverse("forums:comment", args=[comment.pk])
    assert response.redirect_chain[-1][0] == f"{thread.get_absolute_url()}#comment-{comment.pk}"
    assert "Your reply has been posted." in _text(response)
    assert "My reply" in _text(response)


def test_a_reply_with_htmx_returns_a_fresh_form_and_the_new_comment(client, resident):
    thread = ThreadFactory()
    client.force_login(resident)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": "Swapped in"}, headers=HTMX)

    assert response.status_code == 200
    page = _text(response)
    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in page
    assert "Swapped in" in page
    assert 'hx-swap-oob="beforeend:#comment-list"' in page
    assert "></textarea>" in page


def test_a_nested_reply_with_htmx_returns_the_comment_in_place(client, resident):
    top = CommentFactory()
    client.force_login(resident)

    response = client.post(
        reverse("forums:comment_create", args=[top.thread_id]), {"body": "Nested", "parent": top.pk}, headers=HTMX
    )

    assert response.status_code == 200
    reply = Comment.objects.get(body="Nested")
    assert (reply.parent, reply.depth) == (top, 2)
    assert f'id="comment-{reply.pk}"' in _text(response)


def test_the_reply_page_quotes_the_comment_when_asked(client, resident):
    top = CommentFactory(body="Line one\nLine two")
    client.force_login(resident)

    page = _text(client.get(reverse("forums:comment_reply", args=[top.pk]), {"quote": "1"}))

    assert "&gt; Line one\n&gt; Line two\n\n</textarea>" in page
    assert f'name="parent" value="{top.pk}"' in page


def test_a_comment_permalink_finds_its_page(client, settings):
    settings.FORUMS_COMMENTS_PER_PAGE = 2
    thread = ThreadFactory()
    first, _, third = (CommentFactory(thread=thread) for _ in range(3))
    reply = CommentFactory(parent=third)

    assert client.get(reverse("forums:comment", args=[first.pk]))["Location"] == (
        f"{thread.get_absolute_url()}#comment-{first.pk}"
    )
    assert client.get(reverse("forums:comment", args=[reply.pk]))["Location"] == (
        f"{thread.get_absolute_url()}?page=2#comment-{reply.pk}"
    )


def test_posting_needs_a_sign_in_and_a_post(client):
    thread = ThreadFactory()
    url = reverse("forums:comment_create", args=[thread.pk])

    assert client.post(url, {"body": "Hi"})["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
    assert not Comment.objects.exists()


# Editing and deleting


def test_the_author_edits_a_comment_and_the_thread_shows_it_was_edited(client, resident):
    comment = CommentFactory(author=resident, body="Frist")
    client.force_login(resident)
    url = reverse("forums:comment_edit", args=[comment.pk])

    assert "Frist</textarea>" in _text(client.get(url))
    response = client.post(url, {"body": "First"}, follow=True)

    assert "Your comment has been updated." in _text(response)
    assert "(edited)" in _text(response)
    assert Comment.objects.get(pk=comment.pk).body == "First"


def test_the_author_deletes_a_comment_and_its_replies_stay(client, resident):
    comment = CommentFactory(author=resident, body="Regrettable")
    CommentFactory(parent=comment, body="A reply that stays")
    client.force_login(resident)
    url = reverse("forums:comment_delete", args=[comment.pk])

    assert "Regrettable" in _text(client.get(url))
    response = client.post(url, follow=True)

    page = _text(response)
    assert "Comment deleted by its author" in page
    assert "Regrettable" not in page
    assert "A reply that stays" in page


def test_only_the_author_reads_their_edit_history_page(client, resident, moderator):
    """Moderators read earlier versions on the moderation page, within their scope."""
    comment = CommentFactory(author=resident, body="Before")
    services.comment_edit(actor=resident, comment=comment, body="After")
    url = reverse("forums:comment_history", args=[comment.pk])

    client.force_login(resident)
    page = _text(client.get(url))
    assert "Before" in page and "After" in page
    client.force_login(moderator)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# Likes, follows, pins and locks


def test_liking_without_javascript_redirects_back(client, resident):
    thread = ThreadFactory()
    client.force_login(resident)

    response = client.post(reverse("forums:thread_like", args=[thread.pk]))

    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert ThreadLike.objects.filter(user=resident, thread=thread).exists()


def test_liking_with_htmx_returns_the_pressed_button_and_count(client, resident):
    comment = CommentFactory()
    client.force_login(resident)

    page = _text(client.post(reverse("forums:comment_like", args=[comment.pk]), headers=HTMX))

    assert 'aria-pressed="true"' in page
    assert "1 like" in page


def test_follow_and_unfollow_through_the_page(client, resident):
    thread = ThreadFactory()
    client.force_login(resident)
    url = reverse("forums:thread_follow", args=[thread.pk])

    assert "You are following this discussion." in _text(client.post(url, {"follow": "1"}, follow=True))
    assert ThreadFollow.objects.filter(user=resident, thread=thread).exists()
    page = _text(client.post(url, {"follow": "0"}, headers=HTMX))
    assert ">Follow<" in page
    assert not ThreadFollow.objects.filter(user=resident, thread=thread).exists()


def test_a_moderator_pins_and_locks_and_residents_then_cannot_reply(client, moderator, resident):
    thread = ThreadFactory()
    client.force_login(moderator)

    assert f'href="{reverse("moderation:thread", args=[thread.pk])}"' in _text(client.get(thread.get_absolute_url()))
    item_url = client.post(reverse("moderation:thread", args=[thread.pk]))["Location"]
    client.post(item_url, {"form": "thread", "action": "pin", "reason": "The question everyone asks"})
    response = client.post(item_url, {"form": "thread", "action": "lock", "reason": "Said and done"}, follow=True)

    assert "The action is recorded in the audit log." in _text(response)
    assert 'name="body"' in _text(client.get(thread.get_absolute_url()))
    thread.refresh_from_db()
    assert thread.is_pinned and thread.is_locked
    client.force_login(resident)
    page = _text(client.get(thread.get_absolute_url()))
    assert "This discussion is locked, so no new replies can be added." in page
    assert 'name="body"' not in page


def test_quote_only_takes_words_that_are_really_in_the_comment(client):
    from django.urls import reverse

    from tests.factories import UserFactory
    from tests.forums.factories import CommentFactory

    comment = CommentFactory(body="The nurses were wonderful and kind.")
    client.force_login(UserFactory())
    url = reverse("forums:comment_reply", args=[comment.pk])

    picked = client.get(url, {"quote": "1", "text": "were   wonderful"}).content.decode()
    forged = client.get(url, {"quote": "1", "text": "The nurses were awful"}).content.decode()

    assert "&gt; were wonderful" in picked
    assert "The nurses were awful" not in forged and "&gt; The nurses were wonderful and kind." in forged


def test_a_reply_refused_because_the_thread_was_locked_keeps_its_text(client):
    from django.urls import reverse

    from tests.factories import UserFactory
    from tests.forums.factories import ThreadFactory

    thread = ThreadFactory(is_locked=True)
    client.force_login(UserFactory())

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": "My carefully written reply"})

    assert response.status_code == 400
    assert "Here is your text" in response.content.decode()
    assert "My carefully written reply" in response.content.decode()
