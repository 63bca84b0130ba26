"""The text of programme updates: the formatting residents use in comments, plus two levels of
heading and images. Every image needs alt text, so people using screen readers get the update too."""

from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

from talkhealth import markdown

UPDATE_TAGS = markdown.COMMENT_TAGS | {"h2", "h3", "img"}
HEADING_LEVELS = {"h2", "h3"}

_update_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(
    ["lheading", "hr", "html_block", "html_inline"], ignoreInvalid=True
)


def render(body: str) -> str:
    return markdown.render(body, tags=UPDATE_TAGS, md=_update_md)


def _images(tokens):
    for token in tokens:
        if token.type == "image":
            yield token
        if token.children:
            yield from _images(token.children)


def check_body(body: str) -> None:
    """Headings are ## or ### (the title is the page's only top-level heading); every image has alt
    text and an https address (or a path on this site). Raises one ValidationError listing every problem."""
    problems = []
    tokens = _update_md.parse(body or "")
    if any(t.type == "heading_open" and t.tag not in HEADING_LEVELS for t in tokens):
        problems.append(
            ValidationError("Start headings with ## or ###: the title is the page's main heading.", code="heading")
        )
    for image in _images(tokens):
        src = image.attrGet("src") or ""
        alt = "".join(child.content for child in image.children or []).strip() or (image.content or "").strip()
        if not alt:
            problems.append(
                ValidationError(
                    "Describe each image in its square brackets, like ![A nurse taking blood pressure](https://...). "
                    f"The image at {src or 'the empty address'} has no description.",
                    code="image_alt",
                )
            )
        if not (src.startswith("https://") or (src.startswith("/") and not src.startswith("//"))):
            problems.append(
                ValidationError(
                    f"Images must have an address starting https:// or a path on this site starting / "
                    f"({src or 'an empty address'} does neither).",
                    code="image_src",
                )
            )
    if problems:
        raise ValidationError(problems)
