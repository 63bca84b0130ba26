from django import template
from django.utils.html import format_html

from talkhealth import timefmt

register = template.Library()


@register.simple_tag
def timestamp(value):
    """A `<time>` element: relative words for reading, the exact moment for machines and hover."""
    if value is None:
        return ""
    exact = timefmt.exact(value)
    return format_html(
        '<time datetime="{}" title="{}">{}<span class="nhsuk-u-visually-hidden"> ({})</span></time>',
        value.isoformat(),
        exact,
        timefmt.relative(value),
        exact,
    )


@register.filter
def exact_time(value):
    return timefmt.exact(value) if value else ""


@register.filter
def in_set(value, collection):
    """`value in collection`, for passing a boolean into an {% include %}."""
    return bool(collection) and value in collection


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
