"""What residents see of a theme: once staff link a theme to a decision, the decision's page links
to the theme's public page, and that page links to the decision and, for each contributor signed in,
to their own words that fed it. The loop closes both ways.

Quotes are read live from the corpus: a quote whose words were since taken down, withdrawn or
edited to hold personal information is not shown, and no copy of the words is kept.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from forums.models import Comment, Thread, Visibility
from forums.moderation.safety import personal_information

from ..contributions.corpus import corpus_items_for
from ..updates.models import UpdateStatus
from .models import Coding, CodingStatus, Quote, Theme, ThemeDecision, ThemeStatus


@dataclass(frozen=True)
class LiveQuote:
    quote: Quote
    text: str


def live_quotes(quotes: list[Quote], programme, *, items: dict | None = None) -> list[LiveQuote]:
    """The quotes whose words may still be shown, with the words as they now stand: three queries,
    or none when the caller has the items already ({key: CorpusItem})."""
    if items is None:
        keys = [f"{q.kind}:{q.item_pk}" for q in quotes]
        items = {i.key: i for i in corpus_items_for(keys, programme=programme)}
    shown = []
    for quote in quotes:
        item = items.get(f"{quote.kind}:{quote.item_pk}")
        if item is not None and item.publishable and not personal_information(item.text):
            shown.append(LiveQuote(quote=quote, text=item.text))
    return shown


def _shown(decision: ThemeDecision) -> bool:
    """A decision still public: a published update, or an official response still up."""
    if decision.update_id:
        return decision.update.status == UpdateStatus.PUBLISHED
    response = decision.response
    return response.visibility == Visibility.PUBLISHED and not response.is_deleted


def _decisions(qs) -> list[ThemeDecision]:
    return [d for d in qs.select_related("update__programme", "response__thread", "theme__programme") if _shown(d)]


@dataclass
class PublicTheme:
    theme: Theme
    decisions: list[ThemeDecision]
    quotes: list[LiveQuote]
    online_people: int
    offline_contributions: int
    your_threads: list[Thread]
    your_comments: list[Comment]


def public_theme(*, slug: str, pk: int, user) -> PublicTheme:
    """A theme in use that fed at least one decision still public; 404 otherwise. A fixed number
    of queries: the theme, its decisions, its quotes (and their words), two counts and, signed in,
    the viewer's own coded posts."""
    theme = Theme.objects.select_related("programme", "parent").filter(
        pk=pk, programme__slug=slug, status=ThemeStatus.ACTIVE
    ).first()
    decisions = _decisions(ThemeDecision.objects.filter(theme_id=pk)) if theme else []
    if not decisions:
        raise Http404
    coded = Coding.objects.filter(theme=theme, status=CodingStatus.CONFIRMED)
    comments = Comment.objects.filter(
        pk__in=coded.filter(kind="comment").values("item_pk"),
        visibility=Visibility.PUBLISHED,
        is_deleted=False,
        thread__visibility=Visibility.PUBLISHED,
    )
    threads = Thread.objects.filter(pk__in=coded.filter(kind="thread").values("item_pk"), visibility=Visibility.PUBLISHED)
    people = comments.order_by().values("author_id").union(threads.order_by().values("author_id")).count()
    offline = coded.filter(kind="offline").count()
    mine_threads, mine_comments = [], []
    if user.is_authenticated:
        mine_threads = list(threads.filter(author=user).only("id", "title", "board_id", "body").order_by("created_at"))
        mine_comments = list(
            comments.filter(author=user).select_related("thread").only("id", "body", "thread_id", "thread__title")
            .order_by("created_at")
        )  # fmt: skip
    return PublicTheme(
        theme=theme,
        decisions=decisions,
        quotes=live_quotes(list(theme.quotes.all()), theme.programme),
        online_people=people,
        offline_contributions=offline,
        your_threads=mine_threads,
        your_comments=mine_comments,
    )


def themes_behind(*, updates=(), responses=()) -> dict[tuple[str, int], list[Theme]]:
    """The themes in use that fed these updates or official responses, for their pages' "what you
    told us" links: {("update", pk) or ("response", pk): [themes]}. One query."""
    if not updates and not responses:
        return {}
    rows = ThemeDecision.objects.filter(
        Q(update_id__in=list(updates)) | Q(response_id__in=list(responses)), theme__status=ThemeStatus.ACTIVE
    ).select_related("theme__programme").order_by("theme__name", "theme_id")
    found: dict[tuple[str, int], list[Theme]] = defaultdict(list)
    for row in rows:
        found[("update", row.update_id) if row.update_id else ("response", row.response_id)].append(row.theme)
    return dict(found)


def decided_themes(programme) -> list[tuple[Theme, list[ThemeDecision]]]:
    """A programme's themes in use with the public decisions they fed, for "You said, we did"."""
    by_theme: dict[int, list[ThemeDecision]] = defaultdict(list)
    themes: dict[int, Theme] = {}
    qs = ThemeDecision.objects.filter(theme__programme=programme, theme__status=ThemeStatus.ACTIVE)
    for decision in _decisions(qs.order_by("theme__name", "theme_id", "created_at")):
        themes[decision.theme_id] = decision.theme
        by_theme[decision.theme_id].append(decision)
    return [(themes[pk], by_theme[pk]) for pk in themes]
