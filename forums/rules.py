"""Who may do what in discussions and moderation."""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from accounts.rules import is_moderator, is_partnership_staff, is_safeguarding_lead, is_verified

from .querysets import moderation_scope, sees_everything, sees_pending_in


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
    return moderation_scope(user) or None


@rules.predicate
def moderates(user, programme) -> bool:
    """Moderators and staff act on content in `programme` (any programme when None) within their scope."""
    if not (user.is_authenticated and (is_moderator(user) or is_partnership_staff(user))):
        return False
    scope = moderated_programme_ids(user)
    if programme is None or scope is None:
        return True
    return getattr(programme, "pk", programme) in scope


def programme_of(content) -> int:
    """The programme a thread or comment belongs to, read from the loaded board when there is one."""
    thread = getattr(content, "thread", content)
    board = thread.board if "board" in thread._state.fields_cache else None
    if board is not None:
        return board.programme_id
    return type(thread).objects.values_list("board__programme_id", flat=True).get(pk=thread.pk)


@rules.predicate
def moderates_content(user, content) -> bool:
    """A moderator or partnership staff member whose scope covers the thread's or comment's programme.
    The programme is looked up only for a scoped moderator."""
    if content is None or not (user.is_authenticated and (is_moderator(user) or is_partnership_staff(user))):
        return False
    scope = moderated_programme_ids(user)
    return scope is None or programme_of(content) in scope


@rules.predicate
def moderates_appeal(user, appeal) -> bool:
    """An appeal is decided in the programme of the decision it is about."""
    return appeal is not None and moderates(user, appeal.action.programme_id)


@rules.predicate
def sees_held_posts(user, content) -> bool:
    """Moderators read held, hidden and removed posts in the programmes they moderate."""
    if content is None or not user.is_authenticated:
        return False
    if sees_everything(user):
        return True
    scope = sees_pending_in(user)
    return bool(scope) and programme_of(content) in scope


@rules.predicate
def is_other_moderator(user, appeal) -> bool:
    """Appeals go to a different moderator from the one who made the decision."""
    return appeal is not None and appeal.action.actor_id != user.pk


can_post = is_verified & ~is_suspended
is_moderator_or_staff = is_moderator | is_partnership_staff

rules.add_perm("forums.add_thread", can_post)
rules.add_perm("forums.add_comment", can_post)
# The residents' edit, delete and history pages are the author's own; moderators act through the
# moderation pages, which ask for a reason, check their scope and write the audit log.
rules.add_perm("forums.change_comment", is_author & can_post & within_edit_window)
rules.add_perm("forums.delete_comment", is_author & is_verified)
rules.add_perm("forums.change_thread", is_author & can_post)
rules.add_perm("forums.delete_thread", is_author & is_verified)
rules.add_perm("forums.like", can_post)
rules.add_perm("forums.report_content", is_verified)
rules.add_perm("forums.follow_thread", is_verified)
rules.add_perm("forums.pin_thread", moderates_content)
rules.add_perm("forums.lock_thread", moderates_content)
rules.add_perm("forums.reply_when_locked", moderates_content)
rules.add_perm("forums.view_revisions", is_author)
rules.add_perm("forums.view_held_posts", sees_held_posts)
rules.add_perm("forums.access_moderation", is_moderator_or_staff)
rules.add_perm("forums.moderate_programme", moderates)
rules.add_perm("forums.decide_appeal", is_moderator_or_staff & is_other_moderator & moderates_appeal)
rules.add_perm("forums.post_offline_contribution", is_partnership_staff)
rules.add_perm("forums.view_safeguarding_log", is_safeguarding_lead)
