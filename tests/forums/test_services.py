"""Discussion writes: what each service stores, counts and refuses."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forums import services
from forums.models import (
    Board,
    Comment,
    CommentLike,
    CommentRevision,
    Tag,
    Thread,
    ThreadFollow,
    ThreadLike,
    Visibility,
)
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

pytestmark = pytest.mark.django_db


def _fresh(obj):
    obj.refresh_from_db()
    return obj


def _backdate(comment, minutes):
    """Time travel: the comment was posted `minutes` ago."""
    comment.created_at = timezone.now() - timedelta(minutes=minutes)
    Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at)
    return comment


# thread_create


def test_thread_create_stores_title_body_and_rendered_html(resident, board):
    thread = services.thread_create(
        actor=resident, board=board, title="  Waiting   times \n at my GP  ", body="\n  I waited *three* weeks.  \n"
    )

    thread = _fresh(thread)
    assert thread.title == "Waiting times at my GP"
    assert thread.body == "I waited *three* weeks."
    assert thread.body_html == "<p>I waited <em>three</em> weeks.</p>"
    assert thread.author == resident
    assert thread.board == board
    assert thread.visibility == Visibility.PUBLISHED
    assert thread.last_poster == resident
    assert thread.reply_count == thread.top_level_count == thread.like_count == 0


def test_thread_create_normalises_tags_by_case_and_spaces_and_drops_duplicates(resident, board):
    thread = services.thread_create(
        actor=resident,
        board=board,
        title="Tags",
        body="Body",
        tags=[" Waiting  Times ", "waiting times", "GP", "gp ", "", "   "],
    )

    assert sorted(thread.tags.names()) == ["gp", "waiting times"]


def test_the_same_tag_in_any_case_is_shared_between_threads(resident, board):
    ThreadFactory(author=resident, tags=["Mental Health"])
    ThreadFactory(tags=["mental  HEALTH"])

    assert list(Tag.objects.values_list("name", flat=True)) == ["mental health"]
    assert Tag.objects.get().tagged_threads.count() == 2


def test_thread_create_accepts_five_tags(resident, board):
    thread = services.thread_create(actor=resident, board=board, title="T", body="B", tags=list("abcde"))

    assert len(thread.tags.names()) == 5


def test_thread_create_counts_tags_after_removing_duplicates(resident, board):
    thread = services.thread_create(
        actor=resident, board=board, title="T", body="B", tags=["a", "b", "c", "d", "e", "A", " e "]
    )

    assert len(thread.tags.names()) == 5


def test_thread_create_refuses_more_than_five_tags_and_stores_nothing(resident, board):
    with pytest.raises(ValidationError) as raised:
        services.thread_create(actor=resident, board=board, title="T", body="B", tags=list("abcdef"))

    assert raised.value.code == "too_many_tags"
    assert "at most 5 tags" in raised.value.messages[0]
    assert not Thread.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("tag", ["café", "!!!", "健康", "🙂"])
def test_thread_create_refuses_a_tag_that_cannot_have_a_page_of_its_own(resident, board, tag):
    """Tag pages live at /tags/<slug>/; a tag without an ASCII slug would break every page listing it."""
    with pytest.raises(ValidationError) as raised:
        services.thread_create(actor=resident, board=board, title="T", body="B", tags=["gp", tag])

    assert raised.value.code == "bad_tag"
    assert tag in raised.value.messages[0]
    assert not Thread.objects.exists()


def test_tags_with_punctuation_keep_their_name_and_get_a_plain_slug(resident, board):
    thread = services.thread_create(actor=resident, board=board, title="T", body="B", tags=["A&E", "GP's"])

    assert sorted(thread.tags.values_list("name", "slug")) == [("a&e", "ae"), ("gp's", "gps")]


def test_thread_create_makes_the_author_follow_their_thread(resident, board):
    thread = services.thread_create(actor=resident, board=board, title="T", body="B")

    assert ThreadFollow.objects.filter(user=resident, thread=thread).exists()


def test_thread_create_adds_one_to_the_board_thread_count(resident, board):
    before = board.thread_count

    ThreadFactory(board=board)
    ThreadFactory(board=board)

    assert _fresh(board).thread_count == before + 2
    assert general_board("cancer").thread_count == 0


@pytest.mark.parametrize(
    ("title", "code", "words"),
    [
        ("", "empty_title", "Give your discussion a title"),
        (" \n\t ", "empty_title", "Give your discussion a title"),
        ("x" * 151, "long_title", "at most 150 characters"),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_thread_create_refuses_an_empty_or_oversized_title(resident, board, title, code, words):
    with pytest.raises(ValidationError) as raised:
        services.thread_create(actor=resident, board=board, title=title, body="Body")

    assert raised.value.code == code
    assert words in raised.value.messages[0]


def test_thread_create_accepts_a_title_at_the_limit_once_spaces_are_collapsed(resident, board):
    title = "x" * 148 + "   y"

    thread = services.thread_create(actor=resident, board=board, title=title, body="B")

    assert thread.title == "x" * 148 + " y"
    assert len(thread.title) == 150


def test_thread_create_refuses_people_who_have_not_confirmed_their_email(unverified, board):
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.thread_create(actor=unverified, board=board, title="T", body="B")

    assert _fresh(board).thread_count == 0


def test_thread_create_refuses_anonymous_visitors(board):
    with pytest.raises(PermissionDenied):
        services.thread_create(actor=AnonymousUser(), board=board, title="T", body="B")


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ("", "empty", "Write something before posting."),
        ("  \n  ", "empty", "Write something before posting."),
        ("x" * 10_001, "too_long", "at most 10,000 characters; yours has 10,001"),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_posting_refuses_an_empty_or_oversized_body_with_the_limit(resident, board, body, code, words):
    thread = ThreadFactory()
    for post in (
        lambda: services.thread_create(actor=resident, board=board, title="T", body=body),
        lambda: services.comment_post(actor=resident, thread=thread, body=body),
    ):
        with pytest.raises(ValidationError) as raised:
            post()
        assert raised.value.code == code
        assert words in raised.value.messages[0]


def test_a_body_of_exactly_the_limit_is_accepted(resident, board):
    thread = services.thread_create(actor=resident, board=board, title="T", body="x" * 10_000)

    assert len(thread.body) == 10_000


# comment_post: nesting


def test_a_reply_to_the_thread_is_a_top_level_comment(resident):
    thread = ThreadFactory()

    comment = services.comment_post(actor=resident, thread=thread, body="First!")

    assert (comment.depth, comment.parent, comment.root, comment.in_reply_to) == (1, None, None, None)
    assert comment.body_html == "<p>First!</p>"


def test_replies_nest_to_depth_two_and_three_under_one_root(resident):
    top = CommentFactory()

    second = services.comment_post(actor=resident, thread=top.thread, body="Second level", parent=top)
    third = services.comment_post(actor=resident, thread=top.thread, body="Third level", parent=second)

    assert (second.depth, second.parent, second.root) == (2, top, top)
    assert (third.depth, third.parent, third.root) == (3, second, top)
    assert second.in_reply_to is None and third.in_reply_to is None


def test_a_reply_to_a_third_level_comment_attaches_beside_it_and_names_whom_it_answers(resident):
    third = CommentFactory(parent=CommentFactory(parent=CommentFactory()))

    reply = services.comment_post(actor=resident, thread=third.thread, body="Answering you", parent=third)

    assert reply.depth == 3
    assert reply.parent_id == third.parent_id
    assert reply.root_id == third.root_id
    assert reply.in_reply_to == third.author


def test_replying_to_ones_own_third_level_comment_does_not_name_oneself(resident):
    third = CommentFactory(parent=CommentFactory(parent=CommentFactory()), author=resident)

    reply = services.comment_post(actor=resident, thread=third.thread, body="And another thing", parent=third)

    assert reply.depth == 3
    assert reply.in_reply_to is None


def test_replies_never_go_deeper_than_three_levels(resident):
    comment = CommentFactory()
    for n in range(6):
        comment = services.comment_post(actor=resident, thread=comment.thread, body=f"Deeper {n}", parent=comment)

    assert set(Comment.objects.values_list("depth", flat=True)) == {1, 2, 3}


# comment_post: counters and follows


def test_comment_post_keeps_the_thread_counters(resident):
    thread = ThreadFactory()
    other = UserFactory()
    old_activity = _fresh(thread).last_activity_at

    top = services.comment_post(actor=other, thread=thread, body="Top")
    services.comment_post(actor=resident, thread=thread, body="Reply", parent=top)
    services.comment_post(actor=resident, thread=thread, body="Another top")

    thread = _fresh(thread)
    assert thread.reply_count == 3
    assert thread.top_level_count == 2
    assert thread.last_poster == resident
    assert thread.last_activity_at >= old_activity
    assert thread.last_activity_at == Comment.objects.latest("created_at", "id").created_at


def test_comment_post_makes_the_commenter_follow_the_thread_once(resident):
    thread = ThreadFactory()

    services.comment_post(actor=resident, thread=thread, body="One")
    services.comment_post(actor=resident, thread=thread, body="Two")

    assert ThreadFollow.objects.filter(user=resident, thread=thread).count() == 1


def test_comment_post_refuses_people_who_have_not_confirmed_their_email(unverified):
    thread = ThreadFactory()

    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.comment_post(actor=unverified, thread=thread, body="Hello")

    assert _fresh(thread).reply_count == 0


# comment_post: what is refused


def test_a_resident_cannot_reply_to_a_locked_thread(resident):
    thread = ThreadFactory(is_locked=True)

    with pytest.raises(ValidationError) as raised:
        services.comment_post(actor=resident, thread=thread, body="Let me in")

    assert raised.value.code == "locked"
    assert "locked" in raised.value.messages[0]
    assert not Comment.objects.exists()


def test_the_thread_author_cannot_reply_to_their_own_locked_thread(resident):
    thread = ThreadFactory(author=resident, is_locked=True)

    with pytest.raises(ValidationError, match="locked"):
        services.comment_post(actor=resident, thread=thread, body="But it is mine")


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_and_staff_can_reply_to_a_locked_thread(role):
    thread = ThreadFactory(is_locked=True)
    person = UserFactory(roles=[role])

    comment = services.comment_post(actor=person, thread=thread, body="Closing note")

    assert comment.pk and _fresh(thread).reply_count == 1


def test_the_lock_is_read_from_the_database_not_a_stale_thread(resident):
    thread = ThreadFactory()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    with pytest.raises(ValidationError, match="locked"):
        services.comment_post(actor=resident, thread=thread, body="Stale object")


def test_a_resident_cannot_reply_to_a_thread_held_for_review(resident):
    thread = ThreadFactory(visibility=Visibility.HELD)

    with pytest.raises(ValidationError) as raised:
        services.comment_post(actor=resident, thread=thread, body="Hello")

    assert raised.value.code == "not_published"


def test_replying_to_a_deleted_comment_is_refused(resident):
    parent = CommentFactory()
    services.comment_delete(actor=parent.author, comment=parent)

    with pytest.raises(ValidationError) as raised:
        services.comment_post(actor=resident, thread=parent.thread, body="Reply", parent=parent)

    assert raised.value.code == "parent_gone"
    assert "deleted" in raised.value.messages[0]


def test_replying_to_a_removed_comment_is_refused(resident):
    parent = CommentFactory(visibility=Visibility.REMOVED)

    with pytest.raises(ValidationError, match="deleted"):
        services.comment_post(actor=resident, thread=parent.thread, body="Reply", parent=parent)


def test_replying_with_a_parent_from_another_thread_is_refused(resident):
    elsewhere = CommentFactory()
    thread = ThreadFactory()

    with pytest.raises(ValidationError) as raised:
        services.comment_post(actor=resident, thread=thread, body="Reply", parent=elsewhere)

    assert raised.value.code == "wrong_thread"
    assert _fresh(thread).reply_count == 0


# comment_edit


def test_the_author_can_edit_within_the_window_and_the_old_text_is_kept(resident):
    comment = _backdate(CommentFactory(author=resident, body="Orginal *text*"), minutes=29)

    services.comment_edit(actor=resident, comment=comment, body="Original *text*")

    comment = _fresh(comment)
    assert comment.body == "Original *text*"
    assert comment.body_html == "<p>Original <em>text</em></p>"
    assert comment.edited_at is not None
    assert timezone.now() - comment.edited_at < timedelta(seconds=5)
    revision = CommentRevision.objects.get(comment=comment)
    assert (revision.body, revision.edited_by) == ("Orginal *text*", resident)


def test_each_edit_keeps_a_revision(resident):
    comment = CommentFactory(author=resident, body="one")

    services.comment_edit(actor=resident, comment=comment, body="two")
    services.comment_edit(actor=resident, comment=comment, body="three")

    assert sorted(comment.revisions.values_list("body", flat=True)) == ["one", "two"]


def test_an_edit_that_changes_nothing_keeps_no_revision_and_no_edited_mark(resident):
    comment = CommentFactory(author=resident, body="Same words")

    services.comment_edit(actor=resident, comment=comment, body="  Same words \n")

    assert _fresh(comment).edited_at is None
    assert not comment.revisions.exists()


def test_the_author_cannot_edit_after_the_default_thirty_minutes(resident):
    comment = _backdate(CommentFactory(author=resident, body="Too late"), minutes=31)

    with pytest.raises(PermissionDenied, match="within 30 minutes"):
        services.comment_edit(actor=resident, comment=comment, body="Changed")

    assert _fresh(comment).body == "Too late"
    assert not comment.revisions.exists()


def test_the_edit_window_follows_the_setting(resident, settings):
    settings.FORUMS_EDIT_WINDOW_MINUTES = 5
    comment = _backdate(CommentFactory(author=resident), minutes=6)

    with pytest.raises(PermissionDenied, match="within 5 minutes"):
        services.comment_edit(actor=resident, comment=comment, body="Changed")


def test_a_moderator_can_edit_any_comment_after_the_window(moderator):
    comment = _backdate(CommentFactory(body="Rude words"), minutes=60 * 24)

    services.comment_edit(actor=moderator, comment=comment, body="[Edited by a moderator]")

    comment = _fresh(comment)
    assert comment.body == "[Edited by a moderator]"
    assert comment.edited_at is not None
    assert comment.revisions.get().edited_by == moderator


@pytest.mark.parametrize("role", [None, "staff"])
def test_other_people_cannot_edit_a_comment(role):
    comment = CommentFactory()
    other = UserFactory(roles=[role] if role else None)

    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=other, comment=comment, body="Hijacked")

    assert _fresh(comment).body != "Hijacked"


def test_an_edit_is_checked_like_a_new_post_for_length(resident):
    comment = CommentFactory(author=resident)

    with pytest.raises(ValidationError, match="at most 10,000"):
        services.comment_edit(actor=resident, comment=comment, body="x" * 10_001)


def test_a_new_account_cannot_add_links_beyond_the_cap_by_editing(resident):
    """Otherwise the link cap is beaten by posting plain text and editing the links in."""
    comment = CommentFactory(author=resident, body="Plain words")
    links = " ".join(f"https://spam{n}.example" for n in range(3))

    with pytest.raises(ValidationError) as raised:
        services.comment_edit(actor=resident, comment=comment, body=links)

    assert raised.value.code == "too_many_links"
    assert _fresh(comment).body == "Plain words"


def test_a_deleted_comment_cannot_be_edited(resident):
    comment = CommentFactory(author=resident)
    services.comment_delete(actor=resident, comment=comment)

    with pytest.raises(ValidationError, match="deleted"):
        services.comment_edit(actor=resident, comment=comment, body="Back again")


# comment_delete


def test_deleting_a_comment_erases_its_words_but_keeps_its_place_and_replies(resident):
    comment = CommentFactory(author=resident, body="Something I regret")
    reply = CommentFactory(parent=comment)
    services.comment_edit(actor=resident, comment=comment, body="Something I regret a lot")
    thread = comment.thread
    assert _fresh(thread).reply_count == 2

    services.comment_delete(actor=resident, comment=comment)

    comment = _fresh(comment)
    assert comment.is_deleted
    assert comment.body == comment.body_html == ""
    assert not comment.revisions.exists()
    assert _fresh(reply).parent_id == comment.pk
    assert _fresh(thread).reply_count == 1
    assert _fresh(thread).top_level_count == 1


def test_deleting_twice_counts_once(resident):
    comment = CommentFactory(author=resident)
    CommentFactory(thread=comment.thread)

    services.comment_delete(actor=resident, comment=comment)
    services.comment_delete(actor=resident, comment=_fresh(comment))

    assert _fresh(comment.thread).reply_count == 1


def test_a_moderator_can_delete_any_comment(moderator):
    comment = CommentFactory()

    services.comment_delete(actor=moderator, comment=comment)

    assert _fresh(comment).is_deleted


@pytest.mark.parametrize("role", [None, "staff"])
def test_other_people_cannot_delete_a_comment(role):
    comment = CommentFactory()

    with pytest.raises(PermissionDenied, match="only delete your own"):
        services.comment_delete(actor=UserFactory(roles=[role] if role else None), comment=comment)

    assert not _fresh(comment).is_deleted


# likes


def test_liking_a_thread_toggles_and_counts(resident):
    thread = ThreadFactory()

    assert services.thread_like_toggle(actor=resident, thread=thread) == (True, 1)
    assert ThreadLike.objects.filter(user=resident, thread=thread).exists()
    assert services.thread_like_toggle(actor=resident, thread=thread) == (False, 0)
    assert not ThreadLike.objects.exists()
    assert _fresh(thread).like_count == 0


def test_liking_a_comment_toggles_and_counts(resident):
    comment = CommentFactory()

    assert services.comment_like_toggle(actor=resident, comment=comment) == (True, 1)
    assert services.comment_like_toggle(actor=resident, comment=comment) == (False, 0)
    assert services.comment_like_toggle(actor=resident, comment=comment) == (True, 1)
    assert CommentLike.objects.filter(user=resident, comment=comment).count() == 1
    assert _fresh(comment).like_count == 1


def test_likes_from_different_people_add_up(resident):
    thread = ThreadFactory()
    comment = CommentFactory(thread=thread)

    for person in (resident, UserFactory(), UserFactory()):
        services.thread_like_toggle(actor=person, thread=thread)
        services.comment_like_toggle(actor=person, comment=comment)

    assert _fresh(thread).like_count == 3
    assert _fresh(comment).like_count == 3


def test_the_database_allows_one_thread_like_per_person(resident):
    thread = ThreadFactory()
    ThreadLike.objects.create(user=resident, thread=thread)

    with pytest.raises(IntegrityError), transaction.atomic():
        ThreadLike.objects.create(user=resident, thread=thread)


def test_the_database_allows_one_comment_like_per_person(resident):
    comment = CommentFactory()
    CommentLike.objects.create(user=resident, comment=comment)

    with pytest.raises(IntegrityError), transaction.atomic():
        CommentLike.objects.create(user=resident, comment=comment)


def test_nobody_can_like_their_own_thread_or_comment(resident):
    thread = ThreadFactory(author=resident)
    comment = CommentFactory(author=resident)

    with pytest.raises(ValidationError, match="cannot like your own"):
        services.thread_like_toggle(actor=resident, thread=thread)
    with pytest.raises(ValidationError, match="cannot like your own"):
        services.comment_like_toggle(actor=resident, comment=comment)

    assert not ThreadLike.objects.exists() and not CommentLike.objects.exists()


def test_people_who_have_not_confirmed_their_email_cannot_like(unverified):
    thread = ThreadFactory()
    comment = CommentFactory(thread=thread)

    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.thread_like_toggle(actor=unverified, thread=thread)
    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.comment_like_toggle(actor=unverified, comment=comment)

    assert _fresh(thread).like_count == _fresh(comment).like_count == 0


def test_a_deleted_comment_cannot_be_liked(resident):
    comment = CommentFactory()
    services.comment_delete(actor=comment.author, comment=comment)

    with pytest.raises(ValidationError, match="deleted"):
        services.comment_like_toggle(actor=resident, comment=comment)


# follows


def test_follow_and_unfollow_a_thread(resident):
    thread = ThreadFactory()

    assert services.thread_follow_set(actor=resident, thread=thread, follow=True) is True
    assert services.thread_follow_set(actor=resident, thread=thread, follow=True) is True
    assert ThreadFollow.objects.filter(user=resident, thread=thread).count() == 1

    assert services.thread_follow_set(actor=resident, thread=thread, follow=False) is False
    assert services.thread_follow_set(actor=resident, thread=thread, follow=False) is False
    assert not ThreadFollow.objects.filter(user=resident, thread=thread).exists()


def test_the_author_can_unfollow_their_own_thread(resident):
    thread = ThreadFactory(author=resident)

    services.thread_follow_set(actor=resident, thread=thread, follow=False)

    assert not ThreadFollow.objects.filter(user=resident).exists()


def test_anonymous_visitors_cannot_follow():
    thread = ThreadFactory()

    with pytest.raises(PermissionDenied, match="Confirm your email"):
        services.thread_follow_set(actor=AnonymousUser(), thread=thread, follow=True)


# pin and lock


@pytest.mark.parametrize(
    ("service", "field", "message"),
    [
        (services.thread_set_pinned, "is_pinned", "can pin"),
        (services.thread_set_locked, "is_locked", "can lock"),
    ],
    ids=["pin", "lock"],
)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("unverified", False), ("resident", False), ("author", False),
     ("moderator", True), ("staff", True)],
)
def test_only_moderators_and_staff_can_pin_and_lock(service, field, message, role, allowed):
    thread = ThreadFactory()
    actor = _person(role, thread)
    value_arg = {"is_pinned": "pinned", "is_locked": "locked"}[field]

    if allowed:
        service(actor=actor, thread=thread, **{value_arg: True})
        assert getattr(_fresh(thread), field) is True
        service(actor=actor, thread=thread, **{value_arg: False})
        assert getattr(_fresh(thread), field) is False
    else:
        with pytest.raises(PermissionDenied, match=message):
            service(actor=actor, thread=thread, **{value_arg: True})
        assert getattr(_fresh(thread), field) is False


# the permission matrix


def _person(role, obj):
    match role:
        case "anonymous":
            return AnonymousUser()
        case "unverified":
            return UserFactory(unverified=True)
        case "deactivated":
            return UserFactory(is_active=False)
        case "resident":
            return UserFactory()
        case "author":
            return obj.author
        case "moderator" | "staff":
            return UserFactory(roles=[role])
        case "superuser":
            return UserFactory(is_superuser=True)
    raise AssertionError(role)


ROLES = ["anonymous", "unverified", "deactivated", "resident", "author", "moderator", "staff", "superuser"]

#                                 anon   unverif deact  resid  author mod    staff  super
PERMISSIONS = {
    "forums.add_thread":         (False, False, False, True,  True,  True,  True,  True),
    "forums.add_comment":        (False, False, False, True,  True,  True,  True,  True),
    "forums.change_comment":     (False, False, False, False, True,  True,  False, True),
    "forums.delete_comment":     (False, False, False, False, True,  True,  False, True),
    "forums.change_thread":      (False, False, False, False, True,  False, False, True),
    "forums.delete_thread":      (False, False, False, False, True,  False, False, True),
    "forums.view_history":       (False, False, False, False, True,  True,  False, True),
    "forums.like":               (False, False, False, True,  True,  True,  True,  True),
    "forums.follow_thread":      (False, False, False, True,  True,  True,  True,  True),
    "forums.pin_thread":         (False, False, False, False, False, True,  True,  True),
    "forums.lock_thread":        (False, False, False, False, False, True,  True,  True),
    "forums.reply_when_locked":  (False, False, False, False, False, True,  True,  True),
    "forums.view_revisions":     (False, False, False, False, False, True,  False, True),
    "forums.report_content":     (False, False, False, True,  True,  True,  True,  True),
    "forums.access_moderation":  (False, False, False, False, False, True,  True,  True),
    "forums.moderate_programme": (False, False, False, False, False, True,  True,  True),
    "forums.decide_appeal":      (False, False, False, False, False, True,  True,  True),
    "forums.post_official_response": (False, False, False, False, False, False, True, True),
    "forums.set_thread_status":  (False, False, False, False, False, False, True,  True),
    "forums.announce":           (False, False, False, False, False, False, True,  True),
}  # fmt: skip


def test_the_matrix_covers_every_forum_permission():
    """A new permission in forums/rules.py needs its row in PERMISSIONS above."""
    import rules

    defined = {name for name in rules.permissions.permissions if name.startswith("forums.")}
    assert not defined - set(PERMISSIONS), "add these to PERMISSIONS in tests/forums/test_services.py"
    assert not set(PERMISSIONS) - defined, "these are no longer defined in forums/rules.py"


@pytest.mark.parametrize("perm", list(PERMISSIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(perm, role):
    """Each forum permission for each kind of person, checked against a fresh comment by someone else."""
    comment = CommentFactory()
    on_comment = perm in {"forums.change_comment", "forums.delete_comment", "forums.view_revisions"}
    target = comment if on_comment else comment.thread
    actor = _person(role, target)
    if perm == "forums.moderate_programme":
        target = comment.thread.board.programme
    elif perm == "forums.decide_appeal":
        target = _appeal_decided_by_someone_else(comment)

    assert actor.has_perm(perm, target) is PERMISSIONS[perm][ROLES.index(role)]


def _appeal_decided_by_someone_else(comment):
    from forums.moderation.models import Appeal, ModerationAction

    action = ModerationAction.objects.create(
        actor=UserFactory(roles=["moderator"]), kind=ModerationAction.Kind.HIDE, reason="Breaks rule 1",
        comment=comment, thread=comment.thread, programme=comment.thread.board.programme, subject=comment.author,
    )
    return Appeal.objects.create(action=action, appellant=comment.author, text="I was quoting someone else.")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("author", False), ("moderator", True), ("superuser", True), ("staff", False)],
)
def test_only_moderators_may_change_a_comment_after_the_edit_window(role, allowed):
    comment = _backdate(CommentFactory(), minutes=31)

    assert _person(role, comment).has_perm("forums.change_comment", comment) is allowed


def test_an_author_who_loses_their_confirmed_email_cannot_edit_or_delete(resident):
    comment = CommentFactory(author=resident)
    resident.email_verified = False
    resident.save(update_fields=["email_verified"])

    assert not resident.has_perm("forums.change_comment", comment)
    assert not resident.has_perm("forums.delete_comment", comment)


def test_a_board_from_another_programme_counts_separately(resident):
    cancer = general_board("cancer")

    ThreadFactory(board=cancer)

    assert Board.objects.get(pk=cancer.pk).thread_count == 1
    assert general_board().thread_count == 0


SUSPENDED = {
    "forums.add_thread": False,
    "forums.add_comment": False,
    "forums.like": False,
    "forums.change_comment": False,
    "forums.delete_comment": True,
    "forums.report_content": True,
    "forums.follow_thread": True,
}


@pytest.mark.parametrize(("perm", "allowed"), SUSPENDED.items(), ids=list(SUSPENDED))
def test_a_suspended_author_may_follow_report_and_delete_but_not_post_like_or_edit(moderator, perm, allowed):
    """Suspension stops new words, not the right to take one's own words down."""
    from forums.moderation import services as moderation

    comment = CommentFactory()
    moderation.user_suspend(actor=moderator, user=comment.author, days=7, reason="Rule 2")
    author = type(comment.author).objects.get(pk=comment.author_id)
    target = comment if perm in {"forums.change_comment", "forums.delete_comment"} else comment.thread

    assert author.has_perm(perm, target) is allowed


def test_a_suspended_person_is_refused_by_the_services(moderator):
    from forums.moderation import services as moderation

    person = UserFactory()
    thread = ThreadFactory()
    moderation.user_suspend(actor=moderator, user=person, days=1, reason="Rule 2")
    person = type(person).objects.get(pk=person.pk)

    with pytest.raises(PermissionDenied):
        services.comment_post(actor=person, thread=thread, body="Still here")
    with pytest.raises(PermissionDenied):
        services.thread_create(actor=person, board=general_board(), title="T", body="B")
    with pytest.raises(PermissionDenied):
        services.thread_like_toggle(actor=person, thread=thread)
    assert not Comment.objects.filter(author=person).exists()
