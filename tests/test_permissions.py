"""One permission matrix for forums and programmes: every permission against every row of the
roles table (tests/factories.py ROLES), on a comment in a thread of the prevention programme."""

import pytest
import rules

from tests.factories import ROLES, ModeratorFactory, person_as
from tests.forums.factories import CommentFactory

pytestmark = pytest.mark.django_db

T, F = True, False

# Columns follow ROLES: visitor, unverified, resident, author, suspended (the author, suspended),
# moderator in scope, moderator out of scope, moderator (no scope), staff, superuser.
MATRIX = {
    #                               visit unver resid auth  susp  m_in  m_out mod   staff super
    "forums.add_thread":             (F,    F,    T,    T,    F,    T,    T,    T,    T,    T),
    "forums.add_comment":            (F,    F,    T,    T,    F,    T,    T,    T,    T,    T),
    "forums.change_comment":         (F,    F,    F,    T,    F,    F,    F,    F,    F,    T),
    "forums.delete_comment":         (F,    F,    F,    T,    T,    F,    F,    F,    F,    T),
    "forums.change_thread":          (F,    F,    F,    T,    F,    F,    F,    F,    F,    T),
    "forums.delete_thread":          (F,    F,    F,    T,    T,    F,    F,    F,    F,    T),
    "forums.view_revisions":         (F,    F,    F,    T,    T,    F,    F,    F,    F,    T),
    "forums.like":                   (F,    F,    T,    T,    F,    T,    T,    T,    T,    T),
    "forums.report_content":         (F,    F,    T,    T,    T,    T,    T,    T,    T,    T),
    "forums.follow_thread":          (F,    F,    T,    T,    T,    T,    T,    T,    T,    T),
    "forums.pin_thread":             (F,    F,    F,    F,    F,    T,    F,    T,    T,    T),
    "forums.lock_thread":            (F,    F,    F,    F,    F,    T,    F,    T,    T,    T),
    "forums.reply_when_locked":      (F,    F,    F,    F,    F,    T,    F,    T,    T,    T),
    "forums.view_held_posts":        (F,    F,    F,    F,    F,    T,    F,    T,    F,    T),
    "forums.access_moderation":      (F,    F,    F,    F,    F,    T,    T,    T,    T,    T),
    "forums.moderate_programme":     (F,    F,    F,    F,    F,    T,    F,    T,    T,    T),
    "forums.decide_appeal":          (F,    F,    F,    F,    F,    T,    F,    T,    T,    T),
    "programmes.post_official_response":(F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "forums.post_offline_contribution": (F, F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.set_thread_status":  (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.announce":           (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "forums.view_safeguarding_log":  (F,    F,    F,    F,    F,    F,    F,    F,    F,    T),
    "programmes.follow_programme":   (F,    T,    T,    T,    T,    T,    T,    T,    T,    T),
    "programmes.access_staff_area":  (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.change_update":      (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.publish_update":     (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.change_poll":        (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.view_poll_boroughs": (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.change_event":       (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.view_reports":       (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.export_discussions": (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.vote_poll":          (F,    F,    T,    T,    F,    T,    T,    T,    T,    T),
    "programmes.attend_event":       (F,    F,    T,    T,    T,    T,    T,    T,    T,    T),
    "programmes.build_evidence_pack": (F,   F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.publish_evidence_pack": (F, F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.view_themes":        (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.change_theme":       (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.record_offline":     (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
    "programmes.publish_offline":    (F,    F,    F,    F,    F,    F,    F,    F,    T,    T),
}  # fmt: skip

# Django gives an active superuser every permission; the residents' edit, delete and history pages
# and their services also ask for the author (tests/forums/test_views.py), so a superuser moderates
# through the moderation pages like everyone else.

# What each permission is asked about; the rest are asked about the comment's thread.
ON_COMMENT = {"forums.change_comment", "forums.delete_comment", "forums.view_revisions"}
# Asked about the thread, where "author" means the person who started it (for the rest, the comment's).
BY_THREAD_AUTHOR = {"forums.change_thread", "forums.delete_thread"}


def test_every_forums_and_programmes_permission_has_its_row():
    """A new permission in forums/ or programmes/ rules needs its row in MATRIX, for every role."""
    defined = {name for name in rules.permissions.permissions if name.split(".")[0] in ("forums", "programmes")}
    assert not defined - set(MATRIX), "add rows for these to MATRIX in tests/test_permissions.py"
    assert not set(MATRIX) - defined, "these are no longer defined"
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


def _target(perm, comment):
    if perm in ON_COMMENT:
        return comment
    if perm == "forums.moderate_programme":
        return comment.thread.board.programme
    if perm == "forums.decide_appeal":
        return _appeal_on(comment)
    return comment.thread


def _appeal_on(comment):
    """An appeal against another moderator's decision on the comment, in the comment's programme."""
    from forums.moderation import services as moderation

    action = moderation.content_edit(
        actor=ModeratorFactory(), content=comment, body="[edited]", reason="Personal details, house rule 4"
    )
    return moderation.appeal_file(actor=comment.author, action=action, text="It was my own phone number.")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", list(MATRIX))
def test_permission_matrix(perm, role):
    comment = CommentFactory()
    actor = person_as(role, comment.thread if perm in BY_THREAD_AUTHOR else comment)
    target = _target(perm, comment)

    assert actor.has_perm(perm, target) is MATRIX[perm][ROLES.index(role)]


def test_an_author_past_the_edit_window_may_delete_but_not_edit():
    from datetime import timedelta

    from django.utils import timezone

    from forums.models import Comment

    comment = CommentFactory()
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    comment.refresh_from_db()
    author = person_as("author", comment)

    assert not author.has_perm("forums.change_comment", comment)
    assert author.has_perm("forums.delete_comment", comment)
