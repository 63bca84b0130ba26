"""The Jinja2 environment for the partials a page repeats many times (jinja2/).

Pages are Django templates; a page hands its list of comments or threads to a Jinja2 partial
with `{% jinja_include %}`. The helpers here match the Django tags of the same names.
"""

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment

from forums.templatetags.forums import person_path
from talkhealth import timefmt


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update({"static": static, "url": reverse, "timestamp": timefmt.time_element})
    env.filters.update({"person_path": person_path})
    return env
