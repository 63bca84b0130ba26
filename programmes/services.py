"""Writes about programmes: keyword-only, one transaction each, permission checked inside."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import Programme, ProgrammeFollow


@transaction.atomic
def programme_follow_set(*, actor, programme: Programme, follow: bool) -> bool:
    """Follow the programme to hear about its updates, or stop. Returns whether the actor now follows it."""
    if not actor.has_perm("programmes.follow_programme"):
        raise PermissionDenied("Sign in to follow programmes.")
    if follow:
        ProgrammeFollow.objects.get_or_create(user=actor, programme=programme)
    else:
        ProgrammeFollow.objects.filter(user=actor, programme=programme).delete()
    return follow
