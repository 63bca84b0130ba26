"""Where to get urgent help: one wording for every page, message and email that signposts it.

Safety text must not drift, so the card (templates/includes/_urgent_help.html, through
`{% urgent_help %}`), the plain-text line in emails and the moderators' supportive message all read
from here. The services are the ones the NHS and Samaritans name for someone who may be at risk.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join


@dataclass(frozen=True)
class Service:
    before: str
    number: str
    href: str
    after: str


HEADING = "Get help now if you feel you might act on thoughts of harming yourself or ending your life"
SERVICES = (
    Service("Call ", "999", "tel:999", " if you or someone else is in danger now, or go to A&E"),
    Service("Call NHS ", "111", "tel:111", " and choose the mental health option for urgent help"),
    Service("Call Samaritans free on ", "116 123", "tel:116123", ", any time of day or night"),
    Service("Text SHOUT to ", "85258", "sms:85258?body=SHOUT", " if talking is too hard"),
)
TEXT = " ".join(f"{s.before}{s.number}{s.after}." for s in SERVICES)
LINE_HTML = format_html(
    "Need help now? {}",
    format_html_join(" · ", '{}<a href="{}">{}</a>', ((s.before.strip() + " ", s.href, s.number) for s in SERVICES)),
)
"""One short line beside a post that may worry its readers, with every number as a link."""
MESSAGE_TAG = "urgent-help"
"""A Django message carrying this extra tag is shown as the urgent help card, focused, at the top of
the next page."""
