"""talkhealth.markdown: the formatting people may use survives; everything else is text or gone."""

import time

import pytest
from markdown_it import MarkdownIt

from talkhealth.markdown import LINK_REL, quote, render

# Formatting that survives


def test_paragraphs_and_line_breaks():
    assert render("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"


def test_emphasis_and_strong():
    assert render("*soft* _also_ **loud** __also__") == (
        "<p><em>soft</em> <em>also</em> <strong>loud</strong> <strong>also</strong></p>"
    )


def test_bulleted_and_numbered_lists():
    assert render("- tea\n- toast") == "<ul>\n<li>tea</li>\n<li>toast</li>\n</ul>"
    assert render("1. first\n2. second") == "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"


def test_quotes_nest():
    assert render("> they said\n>> and before that") == (
        "<blockquote>\n<p>they said</p>\n<blockquote>\n<p>and before that</p>\n</blockquote>\n</blockquote>"
    )


def test_inline_code_and_code_blocks():
    assert render("use `pip`") == "<p>use <code>pip</code></p>"
    assert render("```\n<b>x</b>\n```") == "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>"


def test_links_keep_their_target_and_title_and_get_the_user_content_rel():
    assert render('[NHS](https://www.nhs.uk "NHS website")') == (
        '<p><a href="https://www.nhs.uk" title="NHS website" rel="nofollow ugc noopener">NHS</a></p>'
    )


def test_autolinks_and_email_autolinks_become_links_with_rel():
    assert render("<https://www.nhs.uk>") == (
        '<p><a href="https://www.nhs.uk" rel="nofollow ugc noopener">https://www.nhs.uk</a></p>'
    )
    assert render("<help@example.org>") == (
        '<p><a href="mailto:help@example.org" rel="nofollow ugc noopener">help@example.org</a></p>'
    )


def test_every_link_gets_the_rel_even_relative_ones():
    assert LINK_REL == "nofollow ugc noopener"
    for text in ("[a](/threads/1/)", "[a](//example.com)", "[a](mailto:x@example.org)", "[a](http://example.com)"):
        assert 'rel="nofollow ugc noopener"' in render(text), text


def test_bare_addresses_stay_text():
    """Linkify is off: only deliberate links are links."""
    assert render("see www.nhs.uk or https://www.nhs.uk") == "<p>see www.nhs.uk or https://www.nhs.uk</p>"


# Formatting that does not


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Big", "<p># Big</p>"),
        ("###### Small", "<p>###### Small</p>"),
        ("Title\n=====", "<p>Title<br>\n=====</p>"),
        ("Title\n-----", "<p>Title<br>\n-----</p>"),
        ("---", "<p>---</p>"),
        ("***", "<p>***</p>"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<p>| a | b |<br>\n|---|---|<br>\n| 1 | 2 |</p>"),
        ("~~gone~~", "<p>~~gone~~</p>"),
    ],
    ids=["h1", "h6", "setext-h1", "setext-h2", "rule", "rule-stars", "table", "strikethrough"],
)
def test_headings_rules_and_tables_are_plain_text(text, expected):
    assert render(text) == expected


def test_images_are_not_images():
    html = render("![a cat](https://example.com/cat.png)")

    assert "<img" not in html
    assert html == '<p>!<a href="https://example.com/cat.png" rel="nofollow ugc noopener">a cat</a></p>'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>"),
        ("<div>\nblock\n</div>", "<p>&lt;div&gt;<br>\nblock<br>\n&lt;/div&gt;</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<!-- note -->", "<p>&lt;!-- note --&gt;</p>"),
        ('<a href="https://x.example">x</a>', '<p>&lt;a href="https://x.example"&gt;x&lt;/a&gt;</p>'),
    ],
    ids=["inline", "block", "script", "comment", "anchor"],
)
def test_raw_html_is_shown_as_text(text, expected):
    assert render(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "[x][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_dangerous_link_targets_never_become_links(text):
    assert "href" not in render(text)


def test_a_link_title_cannot_break_out_of_its_attribute():
    html = render('[x](https://a.example "a\\" onmouseover=\\"alert(1)")')

    assert html == (
        '<p><a href="https://a.example" title="a&quot; onmouseover=&quot;alert(1)" '
        'rel="nofollow ugc noopener">x</a></p>'
    )


def test_the_sanitiser_holds_even_if_a_caller_allows_raw_html():
    """nh3 runs after markdown-it, so a permissive parser still cannot pass script or handlers through."""
    permissive = MarkdownIt("commonmark", {"html": True})

    html = render(
        '<script>alert(1)</script><p onclick="x()">hi</p><a href="javascript:alert(1)">a</a>'
        '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)>',
        md=permissive,
    )

    assert html == "<p>hi</p><a rel=\"nofollow ugc noopener\">a</a>"


def test_images_pass_only_for_callers_that_ask_and_without_handlers():
    html = render(
        '<img src="https://example.com/a.png" alt="A" onerror="alert(1)">',
        tags={"img", "p"},
        md=MarkdownIt("commonmark", {"html": True}),
    )

    assert html == '<img src="https://example.com/a.png" alt="A">'


def test_empty_and_missing_text_render_as_nothing():
    assert render("") == ""
    assert render(None) == ""
    assert render("   \n  ") == ""


# quote()


def test_quote_marks_every_line_and_leaves_room_to_reply():
    assert quote("I agree.\nMostly.") == "> I agree.\n> Mostly.\n\n"


def test_quote_keeps_blank_lines_inside_the_quote():
    assert quote("\n  first\n\nsecond  \n\n") == "> first\n>\n> second\n\n"


def test_a_quote_renders_as_a_blockquote_with_its_formatting():
    html = render(quote("*very* true\n\n- one") + "My reply")

    assert html == (
        "<blockquote>\n<p><em>very</em> true</p>\n<ul>\n<li>one</li>\n</ul>\n</blockquote>\n<p>My reply</p>"
    )


@pytest.mark.parametrize(
    "text",
    ["*" * 10_000, "[" * 10_000, "[a](" * 2_500, "*_" * 5_000, "> " * 5_000, "**a" * 3_333, "<" * 10_000],
    ids=["stars", "brackets", "open-links", "mixed-emphasis", "deep-quotes", "open-strong", "angles"],
)
def test_the_longest_hostile_post_renders_in_well_under_a_second(text):
    """Posts are capped at 10,000 characters; none of them may tie up a worker."""
    started = time.perf_counter()

    render(text)

    assert time.perf_counter() - started < 1.0
