"""Who may do what in discussions and moderation."""

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


@rules.predicate
def is_suspended(user) -> bool:
    """Posting is suspended until a date. Asked once per request and kept on the user object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_suspended_until"):
        from .models import Sanction

        user._suspended_until = (
            Sanction.objects.filter(user=user, kind=Sanction.Kind.SUSPENSION, lifted_at=None, until__gt=timezone.now())
            .order_by("-until")
            .values_list("until", flat=True)
            .first()
        )
    return user._suspended_until is not None


def moderated_programme_ids(user) -> set[int] | None:
    """The programmes a scoped moderator works in; None means everywhere."""
    if user.is_superuser or is_partnership_staff(user):
        return None
    if not hasattr(user, "_moderation_scope"):
        user._moderation_scope = set(user.moderation_scopes.values_list("programme_id", flat=True)) or None
    return user._moderation_scope


@rules.predicate
def moderates(user, programme) -> bool:
    """Moderators and staff act on content in `programme` (any programme when None) within their scope."""
    if not (user.is_authenticated and (is_moderator(user) or is_partnership_staff(user))):
        return False
    scope = moderated_programme_ids(user)
    if programme is None or scope is None:
        return True
    return getattr(programme, "pk", programme) in scope


@rules.predicate
def is_other_moderator(user, appeal) -> bool:
    """Appeals go to a different moderator from the one who made the decision."""
    return appeal is not None and appeal.action.actor_id != user.pk


can_post = is_verified & ~is_suspended
is_moderator_or_staff = is_moderator | is_partnership_staff

rules.add_perm("forums.add_thread", can_post)
rules.add_perm("forums.add_comment", can_post)
rules.add_perm("forums.change_comment", (is_author & can_post & within_edit_window) | is_moderator)
rules.add_perm("forums.delete_comment", (is_author & is_verified) | is_moderator)
rules.add_perm("forums.change_thread", is_author & can_post)
rules.add_perm("forums.delete_thread", is_author & is_verified)
rules.add_perm("forums.view_history", is_author | is_moderator)
rules.add_perm("forums.like", can_post)
rules.add_perm("forums.report_content", is_verified)
rules.add_perm("forums.follow_thread", is_verified)
rules.add_perm("forums.pin_thread", is_moderator_or_staff)
rules.add_perm("forums.lock_thread", is_moderator_or_staff)
rules.add_perm("forums.reply_when_locked", is_moderator_or_staff)
rules.add_perm("forums.view_revisions", is_moderator)
rules.add_perm("forums.access_moderation", is_moderator_or_staff)
rules.add_perm("forums.moderate_programme", moderates)
rules.add_perm("forums.decide_appeal", is_moderator_or_staff & is_other_moderator)
rules.add_perm("forums.post_official_response", is_partnership_staff)
rules.add_perm("forums.set_thread_status", is_partnership_staff)
rules.add_perm("forums.announce", is_partnership_staff)
