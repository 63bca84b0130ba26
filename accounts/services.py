"""Writes about people. Each checks its own permission, so views and commands behave alike."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from talkhealth import pagecache

from .models import User
from .names import normalise
from .roles import Role


@transaction.atomic
def user_update_profile(
    *, actor: User, user: User, display_name: str, borough: str, show_borough: bool = False
) -> User:
    """The borough shows on the public profile only while `show_borough` is on, and only if there is one."""
    if not actor.has_perm("accounts.change_user", user):
        raise PermissionDenied("You can only change your own profile.")
    user.display_name = normalise(display_name)
    user.borough = borough
    user.show_borough = bool(show_borough and borough)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "borough", "show_borough"])
    pagecache.invalidate_on_commit()
    return user


@transaction.atomic
def user_mark_email_verified(*, user: User) -> User:
    """Called when allauth confirms the person's primary address."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: Role) -> None:
    """Add `user` to the role's group. `actor=None` is the server operator (a management command)."""
    if actor is not None and not actor.has_perm("accounts.grant_role"):
        raise PermissionDenied("Only administrators can grant roles.")
    user.groups.add(Group.objects.get(name=role.group_name))
    user.__dict__.pop("_role_names", None)


@transaction.atomic
def role_revoke(*, actor: User | None, user: User, role: Role) -> None:
    if actor is not None and not actor.has_perm("accounts.grant_role"):
        raise PermissionDenied("Only administrators can revoke roles.")
    user.groups.remove(Group.objects.get(name=role.group_name))
    user.__dict__.pop("_role_names", None)
