"""Finds figures about people that break the small-numbers rule (talkhealth.figures) in a page.

A table counts people when its caption names them (participants, voters, people, residents);
its cells, and the figures drawn in a chart titled the same way, must never hold an exact count
under 10. Rows of a summary list whose key names people are held to the same rule.
"""

import re
from html.parser import HTMLParser

PEOPLE = re.compile(r"participant|voter|votes|people|residents|answered", re.I)
SMALL = re.compile(r"(?<![\d,.£])[0-9](?![\d,.%])")
DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2,8} \d{4}\b")


def _small(text: str) -> bool:
    """An exact count under 10 in a cell's text; dates such as "1 Dec 2026" are not counts."""
    return bool(SMALL.search(DATE.sub("", text)))


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._stack: list[str] = []
        self._hidden = 0
        self._caption = ""
        self._title = ""
        self._in = None  # "caption", "cell", "title", "text", "dt", "dd"
        self._buffer = ""
        self._key = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("aria-hidden") == "true" and tag == "span":
            self._hidden += 1
            self._stack.append("hidden")
            return
        self._stack.append(tag)
        if tag == "table":
            self._caption = ""
        if tag in ("caption", "td", "title", "text", "dt", "dd"):
            self._in, self._buffer = tag, ""
        if tag == "svg":
            self._title = ""

    def handle_endtag(self, tag):
        while self._stack:
            top = self._stack.pop()
            if top == "hidden":
                self._hidden -= 1
                if tag == "span":
                    return
                continue
            if top == tag:
                break
        if tag != self._in:
            return
        text = " ".join(self._buffer.split())
        self._in = None
        if tag == "caption":
            self._caption = text
        elif tag == "title":
            self._title = text
        elif tag == "dt":
            self._key = text
        elif tag == "td" and PEOPLE.search(self._caption) and _small(text):
            self.found.append(f"{self._caption}: {text}")
        elif tag == "text" and PEOPLE.search(self._title) and _small(text):
            self.found.append(f"chart {self._title}: {text}")
        elif tag == "dd" and PEOPLE.search(self._key) and _small(text):
            self.found.append(f"{self._key}: {text}")

    def handle_data(self, data):
        if self._in and not self._hidden:
            self._buffer += data


def unsuppressed(html: str) -> list[str]:
    """Each people figure under 10 shown exactly, as "caption: cell text"; [] when the page is clean."""
    scanner = _Scanner()
    scanner.feed(html)
    return scanner.found
