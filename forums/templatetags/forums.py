import functools

from django import template
from django.urls import reverse

register = template.Library()


@functools.cache
def _person_url_prefix() -> str:
    return reverse("forums:person", kwargs={"pk": 0})[: -len("0/")]


@register.filter
def person_path(user_id) -> str:
    """A person's public profile URL, from one reverse() per process: a thread page lists hundreds."""
    return f"{_person_url_prefix()}{user_id}/"
