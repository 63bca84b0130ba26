"""Predicates about people, used by every app's permissions."""

import rules

from .roles import Role


@rules.predicate
def is_verified(user) -> bool:
    """Signed in, active and with a confirmed email address: the bar for posting anything."""
    return bool(user.is_authenticated and user.is_active and user.email_verified)


@rules.predicate
def is_moderator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.MODERATOR))


@rules.predicate
def is_partnership_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.STAFF))


@rules.predicate
def is_safeguarding_lead(user) -> bool:
    """Reads the safeguarding log and is told when an at-risk item waits too long for a first look."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.SAFEGUARDING_LEAD))


@rules.predicate
def is_self(user, other) -> bool:
    """Also the whole rule for equality answers, which not even a superuser may see or change."""
    return user.is_authenticated and other is not None and user.pk == other.pk


@rules.predicate
def is_recipient(user, notification) -> bool:
    return user.is_authenticated and notification is not None and notification.recipient_id == user.pk


rules.add_perm("accounts.change_user", is_self | rules.is_superuser)
rules.add_perm("accounts.read_notifications", rules.is_authenticated)
rules.add_perm("accounts.mark_notification", is_recipient)
rules.add_perm("accounts.grant_role", rules.is_superuser)
rules.add_perm("accounts.delete_user", is_self)
rules.add_perm("accounts.export_data", is_self)
