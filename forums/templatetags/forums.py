from django import template

from forums.models import url_prefix

register = template.Library()


@register.filter
def person_path(user_id) -> str:
    """A person's public profile URL, without a reverse() per name: a thread page lists hundreds."""
    return f"{url_prefix('forums:person')}{user_id}/"
