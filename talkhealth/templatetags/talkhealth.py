from functools import partial

from django import template
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from talkhealth import figures, timefmt
from talkhealth.context_processors import viewer

register = template.Library()


@register.simple_tag
def timestamp(value):
    return timefmt.time_element(value)


@register.simple_tag(takes_context=True)
def jinja_include(context, template_name, **extra):
    """Render a Jinja2 partial (from jinja2/) with this template's context plus `extra`.

    The partials that repeat per comment or per thread are Jinja2: it renders them several
    times faster than Django's engine, and a thread page repeats them a hundred times. The CSRF
    field is made at most once per page, as `{% csrf_token %}` does, rather than once per form
    as the Jinja2 backend's own `csrf_input` would.
    """
    values = context.flatten()
    values.update(extra)
    request = context.get("request")
    if request is not None:
        # Lazy, so a page without a form (an anonymous reader's) sets no CSRF cookie and stays cacheable.
        values["csrf_input"] = SimpleLazyObject(partial(csrf_input, request))
        values.update(viewer(request))
    html = engines["jinja2"].env.get_template(template_name).render(values)
    return mark_safe(html)  # escaped by Jinja2's autoescaping; simple_tag would escape it again


@register.filter
def exact_time(value):
    return timefmt.exact(value) if value else ""


@register.simple_tag
def time_range(start, end):
    """<time> elements for an event's start and end: "12 December 2026, 6:00pm to 8:00pm"."""
    text = timefmt.exact_range(start, end)
    opening, _, closing = text.rpartition(" to ")
    return format_html(
        '<time datetime="{}">{}</time> to <time datetime="{}">{}</time>',
        start.isoformat(), opening, end.isoformat(), closing,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def people(count):
    """`{{ n|people }}`: "1,234", or "fewer than 10" (talkhealth.figures)."""
    return figures.people(count)
