"""One event as an iCalendar file (RFC 5545), written by hand: CRLF line ends, lines folded at 75
octets, text escaped, times in UTC, and a UID that stays the same so calendars update the event."""

import html
import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from talkhealth.forms import clean_text

from .models import Event


def _escape(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped, every line end (a lone CR too) as
    "\\n", and no other control character, so nothing in a value can start a property of its own."""
    return (
        clean_text(value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\t", " ")
        .replace("\n", "\\n")
    )


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    out, chunk, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(chunk)
            chunk, size, limit = " ", 1, 75
        chunk += char
        size += width
    out.append(chunk)
    return "\r\n".join(out)


def plain(description_html: str) -> str:
    """The description as calendars show it: plain text, links written out, paragraphs kept apart."""
    text = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", description_html, flags=re.S)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"</(p|h[1-6]|blockquote|ul|ol)>", "\n\n", text)
    text = re.sub(r"(</li>|<br\s*/?>)\n?", "\n", text)
    text = html.unescape(strip_tags(text))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def event_ics(event: Event, *, now: datetime | None = None) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "talkhealth"
    url = settings.SITE_URL + event.get_absolute_url()
    location = (
        ", ".join(filter(None, [event.venue, event.get_borough_display() if event.borough else ""]))
        or event.online_url
    )
    description = "\n\n".join(
        filter(
            None,
            [
                plain(event.description_html),
                event.accessibility and f"Accessibility: {event.accessibility}",
                event.online_url and f"Join online: {event.online_url}",
                f"Details: {url}",
            ],
        )
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Healthy London Partnership//Talk Health//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{domain}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"LAST-MODIFIED:{_utc(event.updated_at)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
