"""Who may do what in discussions."""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from accounts.rules import is_moderator, is_partnership_staff, is_verified


@rules.predicate
def is_author(user, obj) -> bool:
    return obj is not None and user.is_authenticated and obj.author_id == user.pk


@rules.predicate
def within_edit_window(user, comment) -> bool:
    return comment is not None and timezone.now() - comment.created_at <= timedelta(
        minutes=settings.FORUMS_EDIT_WINDOW_MINUTES
    )


is_moderator_or_staff = is_moderator | is_partnership_staff

rules.add_perm("forums.add_thread", is_verified)
rules.add_perm("forums.add_comment", is_verified)
rules.add_perm("forums.change_comment", (is_author & is_verified & within_edit_window) | is_moderator)
rules.add_perm("forums.delete_comment", (is_author & is_verified) | is_moderator)
rules.add_perm("forums.like", is_verified)
rules.add_perm("forums.follow_thread", rules.is_authenticated)
rules.add_perm("forums.pin_thread", is_moderator_or_staff)
rules.add_perm("forums.lock_thread", is_moderator_or_staff)
rules.add_perm("forums.reply_when_locked", is_moderator_or_staff)
rules.add_perm("forums.view_revisions", is_moderator)
