"""Posting limits and hostile input: the person is told what happened and keeps their text;
the site never answers with a 500."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from forums import services
from forums.models import Comment, CommentLike, Thread, ThreadLike, Visibility
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

pytestmark = pytest.mark.django_db

DEFAULT_LIMITS = [(15, 1), (3600, 30)]
NEW_ACCOUNT_LIMITS = [(60, 1), (3600, 10)]


@pytest.fixture(autouse=True)
def real_limits(settings):
    """The documented limits, set here so the tests do not depend on base settings staying put."""
    settings.FORUMS_RATE_LIMITS = DEFAULT_LIMITS
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = NEW_ACCOUNT_LIMITS
    settings.FORUMS_NEW_ACCOUNT_DAYS = 7
    settings.FORUMS_NEW_ACCOUNT_MAX_LINKS = 2
    settings.FORUMS_DUPLICATE_WINDOW_MINUTES = 10


@pytest.fixture
def established(db):
    """A verified resident who joined a month ago."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


@pytest.fixture
def newcomer(db):
    """A verified resident who joined today."""
    return UserFactory()


@pytest.fixture
def thread(db):
    return ThreadFactory()


def _history(person, *seconds_ago, thread=None):
    """Comments by `person`, posted the given numbers of seconds ago."""
    thread = thread or ThreadFactory()
    with override_settings(FORUMS_RATE_LIMITS=[(1, 10_000)], FORUMS_NEW_ACCOUNT_RATE_LIMITS=[(1, 10_000)]):
        for n, ago in enumerate(seconds_ago):
            comment = services.comment_post(actor=person, thread=thread, body=f"Earlier post {n}")
            Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(seconds=ago))
    return thread


def _wait(message: str) -> int:
    """The wait a rate-limit message asks for, in seconds (minutes are rounded by the message)."""
    found = re.search(r"Please wait (\d+) (seconds|minutes) and try again: your text has been kept\.", message)
    number, unit = found.groups()
    return int(number) * (60 if unit == "minutes" else 1)


def _refused(post):
    with pytest.raises(ValidationError) as raised:
        post()
    return raised.value


# Rate limits


def test_an_established_account_waits_fifteen_seconds_between_posts(established, thread):
    _history(established, 10)

    error = _refused(lambda: services.comment_post(actor=established, thread=thread, body="Too soon"))

    assert error.code == "rate_limited"
    assert 1 <= _wait(error.messages[0]) <= 6


def test_an_established_account_may_post_again_after_fifteen_seconds(established, thread):
    _history(established, 16)

    assert services.comment_post(actor=established, thread=thread, body="Now is fine").pk


def test_an_established_account_may_post_thirty_times_an_hour(established, thread):
    _history(established, *range(100, 3000, 100))  # 29 posts

    assert services.comment_post(actor=established, thread=thread, body="The thirtieth").pk

    Comment.objects.filter(body="The thirtieth").update(created_at=timezone.now() - timedelta(seconds=50))
    error = _refused(lambda: services.comment_post(actor=established, thread=thread, body="The thirty-first"))
    assert error.code == "rate_limited"
    assert _wait(error.messages[0]) in (11 * 60, 12 * 60)  # the oldest post leaves the hour in 700 s


def test_a_new_account_waits_a_minute_between_posts(newcomer, established, thread):
    _history(newcomer, 20)
    _history(established, 20)

    error = _refused(lambda: services.comment_post(actor=newcomer, thread=thread, body="Too soon for me"))

    assert 30 <= _wait(error.messages[0]) <= 41
    assert services.comment_post(actor=established, thread=thread, body="Fine for me").pk


def test_a_new_account_may_post_ten_times_an_hour(newcomer, established, thread):
    ten = [300 * n for n in range(1, 11)]  # every five minutes for the last 50 minutes
    _history(newcomer, *ten)
    _history(established, *ten)

    error = _refused(lambda: services.comment_post(actor=newcomer, thread=thread, body="The eleventh"))

    assert error.code == "rate_limited"
    assert _wait(error.messages[0]) in (9 * 60, 10 * 60)  # the oldest post leaves the hour in 600 s
    assert services.comment_post(actor=established, thread=thread, body="The eleventh").pk


@pytest.mark.parametrize(("days", "strict"), [(0, True), (6, True), (8, False), (365, False)])
def test_accounts_younger_than_seven_days_have_the_stricter_limit(days, strict, thread):
    person = UserFactory(date_joined=timezone.now() - timedelta(days=days))
    _history(person, 30)

    if strict:
        assert _refused(lambda: services.comment_post(actor=person, thread=thread, body="Hi")).code == "rate_limited"
    else:
        assert services.comment_post(actor=person, thread=thread, body="Hi").pk


def test_threads_and_comments_share_one_rate_limit(established, thread):
    ThreadFactory(author=established)

    error = _refused(lambda: services.comment_post(actor=established, thread=thread, body="Straight after"))
    assert error.code == "rate_limited"

    error = _refused(
        lambda: services.thread_create(actor=established, board=general_board(), title="Another", body="And again")
    )
    assert error.code == "rate_limited"


@override_settings(FORUMS_RATE_LIMITS=[(60, 2)])
def test_the_limits_follow_the_settings(established, thread):
    services.comment_post(actor=established, thread=thread, body="One")
    services.comment_post(actor=established, thread=thread, body="Two")

    assert _refused(lambda: services.comment_post(actor=established, thread=thread, body="Three")).code == (
        "rate_limited"
    )


def test_a_refused_post_stores_nothing_and_counts_nothing(established, thread):
    _history(established, 5, thread=thread)
    before = Thread.objects.get(pk=thread.pk).reply_count

    _refused(lambda: services.comment_post(actor=established, thread=thread, body="Too soon"))

    assert Thread.objects.get(pk=thread.pk).reply_count == before
    assert not Comment.objects.filter(body="Too soon").exists()


# Duplicate guard


def test_the_same_words_twice_within_ten_minutes_are_refused_even_in_another_thread(established):
    first = CommentFactory(author=established, body="Please  sign the petition")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=9))

    error = _refused(
        lambda: services.comment_post(actor=established, thread=ThreadFactory(), body="please sign the\npetition ")
    )

    assert error.code == "duplicate"
    assert error.messages == ["You have just posted exactly this. It has not been posted again."]


def test_the_same_words_are_allowed_again_after_ten_minutes(established, thread):
    first = CommentFactory(author=established, body="Still waiting for an answer")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert services.comment_post(actor=established, thread=thread, body="Still waiting for an answer").pk


def test_a_thread_body_repeated_as_a_comment_is_a_duplicate(established, thread):
    opening = ThreadFactory(author=established, body="Same message everywhere")
    Thread.objects.filter(pk=opening.pk).update(created_at=timezone.now() - timedelta(minutes=1))

    assert _refused(
        lambda: services.comment_post(actor=established, thread=thread, body="Same message everywhere")
    ).code == "duplicate"


def test_different_people_may_write_the_same_words(established, thread):
    CommentFactory(author=established, thread=thread, body="+1")

    assert services.comment_post(actor=UserFactory(), thread=thread, body="+1").pk


# Link cap for new accounts


@pytest.mark.parametrize(
    "body",
    [
        "https://www.nhs.uk and https://www.london.gov.uk",
        "[NHS](https://www.nhs.uk) and [the GLA](https://www.london.gov.uk)",
        "<https://www.nhs.uk> and www.london.gov.uk",
    ],
    ids=["bare", "markdown", "autolink-and-www"],
)
def test_a_new_account_may_include_two_links(newcomer, thread, body):
    assert services.comment_post(actor=newcomer, thread=thread, body=body).pk


def test_one_markdown_link_counts_once(newcomer, thread):
    """The "https://" and "www." inside one link are not separate links."""
    body = "[NHS 111](https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-use-111/)"

    assert services.comment_post(actor=newcomer, thread=thread, body=body).pk


@pytest.mark.parametrize(
    "body",
    [
        "https://a.example https://b.example https://c.example",
        "[a](https://a.example) [b](https://b.example) [c](https://c.example)",
        "www.a.example [b](/b) <https://c.example>",
        "[a][1] [b][2] [c][3]\n\n[1]: https://a.example\n[2]: https://b.example\n[3]: https://c.example",
    ],
    ids=["bare", "markdown", "mixed", "reference"],
)
def test_a_new_account_cannot_include_three_links(newcomer, thread, body):
    error = _refused(lambda: services.comment_post(actor=newcomer, thread=thread, body=body))

    assert error.code == "too_many_links"
    assert "New accounts can include at most 2 links" in error.messages[0]


def test_the_link_cap_applies_to_new_discussions_too(newcomer):
    links = "https://a.example https://b.example https://c.example"

    error = _refused(lambda: services.thread_create(actor=newcomer, board=general_board(), title="Links", body=links))

    assert error.code == "too_many_links"


def test_an_established_account_may_include_many_links(established, thread):
    body = " ".join(f"https://site{n}.example" for n in range(8))

    assert services.comment_post(actor=established, thread=thread, body=body).pk


@override_settings(FORUMS_NEW_ACCOUNT_MAX_LINKS=0)
def test_the_link_cap_follows_the_setting(newcomer, thread):
    assert _refused(
        lambda: services.comment_post(actor=newcomer, thread=thread, body="see https://a.example")
    ).code == "too_many_links"


# Double clicks


@pytest.mark.parametrize("kind", ["thread", "comment"])
def test_a_second_unlike_racing_the_first_keeps_the_count_equal_to_the_likes(established, kind):
    """Two quick clicks on "Liked": the second request saw the like, then the first removed it.

    The count must follow the rows that were really deleted, never going below them (or below zero,
    which the database refuses with an error page).
    """
    target = ThreadFactory() if kind == "thread" else CommentFactory()
    model, like_model, toggle = {
        "thread": (Thread, ThreadLike, lambda: services.thread_like_toggle(actor=established, thread=target)),
        "comment": (Comment, CommentLike, lambda: services.comment_like_toggle(actor=established, comment=target)),
    }[kind]
    toggle()
    like_model.objects.all().delete()
    model.objects.filter(pk=target.pk).update(like_count=0)

    with mock.patch.object(QuerySet, "exists", return_value=True):
        liked, count = toggle()

    rows = like_model.objects.count()
    assert count == rows == model.objects.get(pk=target.pk).like_count
    assert liked is bool(rows)


# Through the pages: a clear message, and the text kept


HTMX_HEADERS = {"HX-Request": "true"}
KEPT = "Waiting times aren't <great> & getting \"worse\""


def _thread_create_url(programme="prevention", board="general"):
    return reverse("forums:thread_create", args=[programme, board])


def _page_text(response) -> str:
    return response.content.decode()


def test_a_rate_limited_discussion_shows_the_wait_and_keeps_title_body_and_tags(client, established):
    _history(established, 5)
    client.force_login(established)

    response = client.post(_thread_create_url(), {"title": "My <title>", "body": KEPT, "tags": "gp, a&e"})

    assert response.status_code == 200
    page = _page_text(response)
    assert 1 <= _wait(page) <= 11
    assert escape(KEPT) in page
    assert 'value="My &lt;title&gt;"' in page
    assert not Thread.objects.filter(title="My <title>").exists()


def test_a_rate_limited_reply_shows_the_wait_and_keeps_the_text(client, established, thread):
    _history(established, 5)
    client.force_login(established)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": KEPT})

    assert response.status_code == 400
    page = _page_text(response)
    assert "There is a problem" in page and page.index("There is a problem") < page.index('id="thread-title"')
    assert "Please wait" in page and "your text has been kept" in page
    assert f">{escape(KEPT)}</textarea>" in page


def test_a_rate_limited_reply_with_htmx_returns_the_form_with_message_and_text(client, established, thread):
    _history(established, 5)
    client.force_login(established)

    response = client.post(
        reverse("forums:comment_create", args=[thread.pk]), {"body": KEPT}, headers=HTMX_HEADERS
    )

    assert response.status_code == 200
    page = _page_text(response)
    assert page.lstrip().startswith("<form")
    assert "Please wait" in page
    assert f">{escape(KEPT)}</textarea>" in page


def test_a_rate_limited_reply_to_a_comment_keeps_the_text_on_the_reply_page(client, established, thread):
    parent = CommentFactory(thread=thread)
    _history(established, 5)
    client.force_login(established)

    response = client.post(
        reverse("forums:comment_create", args=[thread.pk]), {"body": KEPT, "parent": parent.pk}
    )

    assert response.status_code == 400
    page = _page_text(response)
    assert "Please wait" in page
    assert f">{escape(KEPT)}</textarea>" in page
    assert f'name="parent" value="{parent.pk}"' in page


def test_a_duplicate_reply_through_the_page_says_so(client, established, thread):
    first = CommentFactory(author=established, thread=thread, body=KEPT)
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    client.force_login(established)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": KEPT})

    assert response.status_code == 400
    assert "You have just posted exactly this. It has not been posted again." in _page_text(response)
    assert Comment.objects.filter(author=established).count() == 1


def test_too_many_links_through_the_page_says_how_many_and_keeps_the_text(client, newcomer, thread):
    body = "https://a.example https://b.example https://c.example"
    client.force_login(newcomer)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": body})

    assert response.status_code == 400
    page = _page_text(response)
    assert "New accounts can include at most 2 links in a post" in page
    assert f">{body}</textarea>" in page


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "Body", "Give your discussion a title."),
        ("   ", "Body", "Give your discussion a title."),
        ("T" * 151, "Body", "The title must be 150 characters or fewer (it has 151)."),
        ("Title", "", "Write something before posting."),
        ("Title", "B" * 10_001, "Your message must be 10,000 characters or fewer (it has 10001)."),
    ],
    ids=["empty-title", "blank-title", "long-title", "empty-body", "long-body"],
)
def test_empty_and_oversized_discussions_are_refused_with_the_limit(client, established, title, body, message):
    client.force_login(established)

    response = client.post(_thread_create_url(), {"title": title, "body": body, "tags": ""})

    assert response.status_code == 200
    page = _page_text(response)
    assert escape(message) in page
    assert not Thread.objects.filter(author=established).exists()
    if body:
        assert body in page


def test_the_discussion_form_states_the_limits_before_anyone_hits_them(client, established):
    client.force_login(established)

    page = _page_text(client.get(_thread_create_url()))

    assert "up to 150 characters" in page
    assert "Up to 10,000 characters" in page
    assert "Up to 5 topics" in page


def test_too_many_tags_through_the_page_says_the_limit(client, established):
    client.force_login(established)

    response = client.post(_thread_create_url(), {"title": "Tags", "body": KEPT, "tags": "a, b, c, d, e, f"})

    assert response.status_code == 200
    assert "Use at most 5 tags." in _page_text(response)
    assert escape(KEPT) in _page_text(response)


def test_a_tag_that_cannot_have_a_page_is_refused_through_the_page(client, established):
    client.force_login(established)

    response = client.post(_thread_create_url(), {"title": "Tags", "body": KEPT, "tags": "gp, 健康"})

    assert response.status_code == 200
    assert "cannot be used" in _page_text(response)
    assert not Thread.objects.filter(author=established).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        (" \n ", "Write something before posting."),
        ("x" * 10_001, "Your reply must be 10,000 characters or fewer (it has 10001)."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_empty_and_oversized_replies_are_refused_with_the_limit(client, established, thread, body, message):
    client.force_login(established)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": body})

    assert response.status_code == 400
    assert escape(message) in _page_text(response)
    assert not Comment.objects.exists()


def test_replying_to_a_locked_thread_says_it_is_locked(client, established):
    thread = ThreadFactory(is_locked=True)
    client.force_login(established)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": KEPT})

    assert response.status_code == 400
    assert "This discussion is locked, so no new replies can be added." in _page_text(response)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("forums:board", args=["prevention", "no-such-board"]),
        reverse("forums:board", args=["no-such-programme", "general"]),
        reverse("forums:thread_create", args=["prevention", "no-such-board"]),
        reverse("forums:thread_create", args=["no-such-programme", "general"]),
    ],
)
def test_a_missing_board_is_a_404(client, established, url):
    client.force_login(established)

    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "T", "body": KEPT}).status_code == 404
    assert not Thread.objects.exists()


def test_editing_someone_elses_comment_is_forbidden(client, established):
    comment = CommentFactory(body="Mine, not yours")
    client.force_login(established)
    url = reverse("forums:comment_edit", args=[comment.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Yours now"}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Mine, not yours"


def test_deleting_someone_elses_comment_is_forbidden(client, established):
    comment = CommentFactory()
    client.force_login(established)

    assert client.post(reverse("forums:comment_delete", args=[comment.pk])).status_code == 403
    assert not Comment.objects.get(pk=comment.pk).is_deleted


def test_editing_ones_own_comment_after_the_window_is_forbidden(client, established):
    comment = CommentFactory(author=established)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    client.force_login(established)

    assert client.post(reverse("forums:comment_edit", args=[comment.pk]), {"body": "Late"}).status_code == 403


def test_opening_a_reply_to_a_deleted_comment_explains_why_not(client, established):
    comment = CommentFactory()
    services.comment_delete(actor=comment.author, comment=comment)
    client.force_login(established)

    response = client.get(reverse("forums:comment_reply", args=[comment.pk]), follow=True)

    assert response.status_code == 200
    assert "That comment has been deleted, so you cannot reply to it." in _page_text(response)


def test_posting_a_reply_to_a_deleted_comment_explains_why_and_keeps_the_text(client, established):
    comment = CommentFactory()
    services.comment_delete(actor=comment.author, comment=comment)
    client.force_login(established)

    response = client.post(
        reverse("forums:comment_create", args=[comment.thread_id]), {"body": KEPT, "parent": comment.pk}
    )

    assert response.status_code == 400
    page = _page_text(response)
    assert "That comment has been deleted, so you cannot reply to it." in page
    assert f">{escape(KEPT)}</textarea>" in page
    assert Comment.objects.count() == 1


def test_replying_with_a_parent_from_another_thread_is_refused_with_a_message(client, established, thread):
    elsewhere = CommentFactory()
    client.force_login(established)

    response = client.post(
        reverse("forums:comment_create", args=[thread.pk]), {"body": KEPT, "parent": elsewhere.pk}
    )

    assert response.status_code == 400
    assert "The comment you are replying to no longer exists." in _page_text(response)
    assert Comment.objects.count() == 1


def test_liking_ones_own_post_through_the_page_says_why_not(client, established):
    thread = ThreadFactory(author=established)
    client.force_login(established)

    response = client.post(reverse("forums:thread_like", args=[thread.pk]), follow=True)

    assert response.status_code == 200
    assert "You cannot like your own post." in _page_text(response)


def test_a_resident_cannot_reach_the_page_that_pins_and_locks(client, established, thread):
    client.force_login(established)

    assert client.get(reverse("moderation:thread", args=[thread.pk])).status_code == 404
    thread.refresh_from_db()
    assert not thread.is_pinned and not thread.is_locked


def test_unconfirmed_people_are_told_to_confirm_rather_than_sent_to_sign_in(client, unverified):
    client.force_login(unverified)

    assert client.get(_thread_create_url()).status_code == 403
    assert client.post(_thread_create_url(), {"title": "T", "body": "B"}).status_code == 403


# What moderation has taken down stays down


TAKEN_DOWN = [Visibility.HELD, Visibility.HIDDEN, Visibility.REMOVED]


@pytest.mark.parametrize("visibility", TAKEN_DOWN)
def test_a_taken_down_comment_cannot_be_read_through_its_reply_page(client, established, visibility):
    comment = CommentFactory(body="Words under review", visibility=visibility)
    client.force_login(established)
    url = reverse("forums:comment_reply", args=[comment.pk])

    for query in ({}, {"quote": "1"}):
        response = client.get(url, query)
        assert "Words under review" not in _page_text(response)


@pytest.mark.parametrize("visibility", TAKEN_DOWN)
def test_a_taken_down_comment_cannot_be_liked(client, established, visibility):
    comment = CommentFactory(visibility=visibility)
    client.force_login(established)

    client.post(reverse("forums:comment_like", args=[comment.pk]))

    assert not CommentLike.objects.exists()


@pytest.mark.parametrize("visibility", TAKEN_DOWN)
def test_the_author_and_moderators_still_see_a_taken_down_comment(client, moderator, visibility):
    comment = CommentFactory(body="Words under review", visibility=visibility)

    for person in (comment.author, moderator):
        client.force_login(person)
        assert "Words under review" in _page_text(client.get(comment.thread.get_absolute_url()))


def test_nothing_can_be_done_to_a_thread_one_cannot_see(client, established):
    thread = ThreadFactory(visibility=Visibility.HIDDEN)
    comment = CommentFactory(thread=ThreadFactory())
    Comment.objects.filter(pk=comment.pk).update(thread=thread)
    client.force_login(established)

    for method, url, data in [
        ("get", thread.get_absolute_url(), {}),
        ("post", reverse("forums:comment_create", args=[thread.pk]), {"body": "Hello"}),
        ("post", reverse("forums:thread_like", args=[thread.pk]), {}),
        ("post", reverse("forums:thread_follow", args=[thread.pk]), {"follow": "1"}),
        ("get", reverse("forums:comment", args=[comment.pk]), {}),
        ("get", reverse("forums:comment_reply", args=[comment.pk]), {"quote": "1"}),
        ("post", reverse("forums:comment_like", args=[comment.pk]), {}),
    ]:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not ThreadLike.objects.exists() and not CommentLike.objects.exists()
    assert Comment.objects.count() == 1


# Cross-site request forgery


def test_posting_without_the_csrf_token_is_refused(established, thread):
    client = Client(enforce_csrf_checks=True)
    client.force_login(established)
    url = reverse("forums:comment_create", args=[thread.pk])

    assert client.post(url, {"body": "Forged"}).status_code == 403
    assert client.post(url, {"body": "Forged"}, headers=HTMX_HEADERS).status_code == 403
    assert client.post(reverse("forums:thread_like", args=[thread.pk])).status_code == 403
    assert not Comment.objects.exists() and not ThreadLike.objects.exists()


def test_posting_with_the_token_from_the_page_works(established, thread):
    client = Client(enforce_csrf_checks=True)
    client.force_login(established)
    page = _page_text(client.get(thread.get_absolute_url()))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)

    response = client.post(
        reverse("forums:comment_create", args=[thread.pk]), {"body": "Real", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        reverse("forums:comment_create", args=[thread.pk]),
        {"body": "Real with htmx"},
        headers={**HTMX_HEADERS, "X-CSRFToken": header_token},
    )
    assert response.status_code == 200
    assert Comment.objects.count() == 2


# Hostile input never breaks a page


HUGE = "9" * 30


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "reply", {"body": "x", "parent": "abc"}),
        ("post", "reply", {"body": "x", "parent": "-1"}),
        ("post", "reply", {"body": "x", "parent": HUGE}),
        ("post", "reply", {"body": "nul \x00 byte"}),
        ("post", "reply", {"body": ["one", "two"]}),
        ("post", "reply", {}),
        ("post", "new", {"title": "nul \x00", "body": "b"}),
        ("post", "new", {"title": "t", "body": "b", "tags": "x\x00y"}),
        ("post", "new", {"title": "t", "body": "b", "tags": "," * 200}),
        ("post", "new", {"title": "t", "body": "b", "tags": "t" * 60}),
        ("get", "thread", {"page": "abc"}),
        ("get", "thread", {"page": "-5"}),
        ("get", "thread", {"page": HUGE}),
        ("get", "thread", {"sort": "<script>alert(1)</script>"}),
        ("get", "thread", {"sort": "id; DROP TABLE forums_comment"}),
        ("get", "board", {"page": "0"}),
        ("get", "board", {"page": HUGE}),
        ("get", "suggest", {"tags": "%' OR 1=1 --"}),
        ("get", "suggest", {"tags": "\x00"}),
        ("get", "/threads/" + HUGE + "/", {}),
        ("get", "/threads/" + HUGE + "/x/", {}),
        ("get", "/comments/" + HUGE + "/", {}),
        ("post", "/comments/" + HUGE + "/like/", {}),
        ("get", "/comments/" + HUGE + "/reply/?quote=1", {}),
        ("get", "/tags/" + "a" * 500 + "/", {}),
        ("post", "/threads/" + HUGE + "/pin/", {"pinned": "1"}),
    ],
)
def test_hostile_input_never_causes_a_server_error(client, established, thread, method, url, data):
    """The test client re-raises any exception a view lets escape, so reaching the assert means no 500."""
    client.force_login(established)
    url = {
        "reply": reverse("forums:comment_create", args=[thread.pk]),
        "new": _thread_create_url(),
        "thread": thread.get_absolute_url(),
        "board": reverse("forums:board", args=["prevention", "general"]),
        "suggest": reverse("forums:tag_suggest"),
    }.get(url, url)

    response = getattr(client, method)(url, data)

    assert response.status_code < 500


def test_a_nul_byte_in_a_reply_is_dropped_like_every_control_character(client, established, thread):
    client.force_login(established)

    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": "nul \x00 byte"})

    assert response.status_code == 302
    assert Comment.objects.get(thread=thread).body == "nul  byte"
