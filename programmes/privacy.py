"""Programmes' part of "Download my data" and "Delete my account" (see accounts.privacy)."""

from accounts.privacy import when

from .models import ProgrammeFollow


def export(user) -> dict:
    follows = ProgrammeFollow.objects.filter(user=user).select_related("programme").order_by("created_at", "pk")
    return {
        "programmes_followed.json": [
            {"programme": follow.programme.name, "since": when(follow.created_at)} for follow in follows
        ],
    }


def erase(*, user, erase_posts: bool) -> None:
    ProgrammeFollow.objects.filter(user=user).delete()
