"""The Jinja2 environment for the partials a page repeats many times (jinja2/).

Pages are Django templates; a page hands its list of comments or threads to a Jinja2 partial
with `{% jinja_include %}`. Jinja2 partials end in `.jinja` so they are not mistaken for Django templates
(`.html`). The helpers here match the Django tags of the same names.
"""

from django.templatetags.static import static
from jinja2 import Environment

from talkhealth import signposting, timefmt
from talkhealth.links import reverse_cached, url_prefix


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(
        {"static": static, "url": reverse_cached, "url_prefix": url_prefix, "timestamp": timefmt.time_element,
         "urgent_help_line": signposting.LINE_HTML}
    )
    return env
