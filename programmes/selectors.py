from django.shortcuts import get_object_or_404

from .models import Programme


def programme_list():
    return Programme.objects.only("slug", "name", "short_name", "summary")


def programme_for_hub(*, slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)
