"""Markdown-lite to sanitised HTML, shared by every app that shows text people wrote.

People write paragraphs, emphasis, lists, quotes and links. Raw HTML is never passed through:
markdown-it escapes it, then nh3 (ammonia) keeps only the tags below, so no script, style,
event handler or javascript: URL can reach a page whatever the parser does.
"""

import nh3
from markdown_it import MarkdownIt

COMMENT_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "code", "pre"}
LINK_REL = "nofollow ugc noopener"

_comment_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(
    ["heading", "lheading", "image", "hr", "html_block", "html_inline", "table"], ignoreInvalid=True
)


def render(text: str, *, tags: set[str] = COMMENT_TAGS, md: MarkdownIt = _comment_md) -> str:
    """Render `text` and sanitise the result; the only attributes kept are link targets."""
    attributes = {"a": {"href", "title"}}
    if "img" in tags:
        attributes["img"] = {"src", "alt"}
    return nh3.clean(
        md.render(text or ""),
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def quote(text: str) -> str:
    """Markdown that quotes `text`, for "quote into reply"."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()) + "\n\n"
