from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from .models import EvidencePack, Programme, ProgrammeFollow


def programme_list():
    return Programme.objects.only("slug", "name", "short_name", "summary")


def programme_for_hub(*, slug: str) -> Programme:
    """The programme, with its latest published evidence summary (`evidence_id`, `evidence_start`,
    `evidence_end`, None when there is none) and how much has been said online and offline, all read
    in the same query."""
    from .contributions.selectors import with_voices

    latest = EvidencePack.objects.filter(programme=OuterRef("pk"), status=EvidencePack.Status.PUBLISHED).order_by(
        "-published_at", "-id"
    )
    return get_object_or_404(
        with_voices(Programme.objects.all()).annotate(
            evidence_id=Subquery(latest.values("pk")[:1]),
            evidence_start=Subquery(latest.values("start")[:1]),
            evidence_end=Subquery(latest.values("end")[:1]),
        ),
        slug=slug,
    )


def programme_following(*, programme: Programme, user) -> bool:
    """Whether a signed-in person follows the programme: one query, none for visitors."""
    return user.is_authenticated and ProgrammeFollow.objects.filter(programme=programme, user=user).exists()
