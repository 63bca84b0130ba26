from django.shortcuts import get_object_or_404

from .models import Programme, ProgrammeFollow


def programme_list():
    return Programme.objects.only("slug", "name", "short_name", "summary")


def programme_for_hub(*, slug: str) -> Programme:
    """The programme, with how much has been said online and offline (counted in the same query)."""
    from .contributions.selectors import with_voices

    return get_object_or_404(with_voices(Programme.objects.all()), slug=slug)


def programme_following(*, programme: Programme, user) -> bool:
    """Whether a signed-in person follows the programme: one query, none for visitors."""
    return user.is_authenticated and ProgrammeFollow.objects.filter(programme=programme, user=user).exists()
