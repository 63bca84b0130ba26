from functools import partial

from django import template
from django.template import defaulttags, engines
from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from talkhealth import figures, signposting, timefmt
from talkhealth.context_processors import viewer
from talkhealth.links import reverse_cached

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


class CachedURLNode(defaulttags.URLNode):
    """Django's URLNode, reversing through talkhealth.links.reverse_cached."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None) or getattr(
            getattr(request, "resolver_match", None), "namespace", None
        )
        url = ""
        try:
            url = reverse_cached(self.view_name.resolve(context), args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """`{% url %}` exactly as Django's, each distinct URL reversed once per process: a page has a few
    dozen, and reverse() is a good share of an uncached page's time (this library is a builtin, so
    it stands in for Django's tag in every template)."""
    node = defaulttags.url(parser, token)
    node.__class__ = CachedURLNode
    return node


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
def small(count):
    """`{% if n|small %}`: a count of people too small to show (talkhealth.figures)."""
    return figures.is_small(count)


@register.filter
def people(count):
    """`{{ n|people }}`: "1,234", or "fewer than 10" (talkhealth.figures)."""
    return figures.people(count)


@register.inclusion_tag("includes/_urgent_help.html")
def urgent_help(heading_level: int = 2, focus: bool = False):
    """The NHS.UK urgent care card with 999, A&E, NHS 111, Samaritans and SHOUT (talkhealth.signposting)."""
    return {"heading": signposting.HEADING, "services": signposting.SERVICES, "level": heading_level, "focus": focus}


@register.simple_tag
def urgent_help_line():
    """The same help as one short line of links, beside a post that may worry its readers."""
    return signposting.LINE_HTML


@register.simple_tag
def urgent_help_text():
    """The same help as one plain sentence, for emails and messages."""
    return signposting.TEXT
