"""The reads the theme pages need, each in a fixed number of queries: the corpus comes from
corpus_items() in one go, and codes, themes and decisions in one query each."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q

from accounts.boroughs import Borough
from forums.models import Board, Comment, Visibility
from talkhealth import figures

from ..contributions.corpus import CorpusItem, KeyFilters, corpus_items, corpus_items_for, corpus_key_rows
from ..updates.models import Update
from . import analysis, groups
from .public import live_quotes
from .models import Coding, CodingStatus, DiscoveryRun, Quote, Theme, ThemeStatus

PAGE_SIZE = 20


def active_themes(programme) -> list[Theme]:
    """Top-level themes, each followed by its sub-themes: the codebook's reading order."""
    themes = list(Theme.objects.filter(programme=programme, status=ThemeStatus.ACTIVE).order_by("name", "id"))
    top = [t for t in themes if t.parent_id is None]
    ordered = []
    for t in top:
        ordered.append(t)
        ordered.extend(c for c in themes if c.parent_id == t.pk)
    return ordered


def confirmed_keys(programme) -> dict[str, set[int]]:
    """{item key: theme ids} for every confirmed code on a theme in use."""
    rows = Coding.objects.filter(
        programme=programme, status=CodingStatus.CONFIRMED, theme__status=ThemeStatus.ACTIVE
    ).values_list("kind", "item_pk", "theme_id")
    coded: dict[str, set[int]] = defaultdict(set)
    for kind, pk, theme_id in rows:
        coded[f"{kind}:{pk}"].add(theme_id)
    return coded


@dataclass
class Codebook:
    themes: list[Theme]
    retired: list[Theme]
    counts: dict[int, int]
    corpus_size: int
    coded: int
    runs: list[DiscoveryRun]


def codebook(programme) -> Codebook:
    themes = active_themes(programme)
    retired = list(
        Theme.objects.filter(programme=programme).exclude(status=ThemeStatus.ACTIVE).order_by("-updated_at")[:20]
    )
    counts = dict(
        Coding.objects.filter(programme=programme, status=CodingStatus.CONFIRMED)
        .values_list("theme_id")
        .annotate(n=Count("id"))
        .values_list("theme_id", "n")
    )
    corpus_size, coded = progress(programme)
    runs = list(DiscoveryRun.objects.filter(programme=programme).select_related("requested_by")[:10])
    return Codebook(
        themes=themes,
        retired=retired,
        counts=counts,
        corpus_size=corpus_size,
        coded=coded,
        runs=runs,
    )


CodingFilters = KeyFilters


def _coded(programme):
    """For corpus_key_rows: leave out items a person has coded with a theme in use."""

    def exclude(kind: str):
        return Exists(
            Coding.objects.filter(
                programme=programme,
                status=CodingStatus.CONFIRMED,
                theme__status=ThemeStatus.ACTIVE,
                kind=kind,
                item_pk=OuterRef("pk"),
            )
        )

    return exclude


def progress(programme) -> tuple[int, int]:
    """(items in the corpus, items a person has coded): two counts in the database."""
    total = corpus_key_rows(programme=programme).count()
    return total, total - corpus_key_rows(programme=programme, exclude=_coded(programme)).count()


@dataclass
class CodingPage:
    items: list[CorpusItem]
    page: object
    themes: list[Theme]
    suggested: dict[str, list[tuple[int, float]]]
    total: int
    coded: int
    matching: int


def coding_page(programme, *, filters: CodingFilters, page: int = 1) -> CodingPage:
    """The programme's uncoded items that match the filters, a page at a time, with each one's
    context and any open suggestions. Counting, filtering and paging happen in the database; only
    the page's items are read in full. A fixed number of queries, and the same work, at any size."""
    uncoded = corpus_key_rows(programme=programme, filters=filters, exclude=_coded(programme))
    pages = Paginator(uncoded.order_by("moment", "kind", "item"), PAGE_SIZE)
    current = pages.get_page(page)
    shown = corpus_items_for([f"{kind}:{pk}" for _, kind, pk in current.object_list], programme=programme)
    total, coded = progress(programme)
    suggested: dict[str, list[tuple[int, float]]] = defaultdict(list)
    wanted = Q()
    for kind in {i.kind for i in shown}:
        wanted |= Q(kind=kind, item_pk__in=[i.pk for i in shown if i.kind == kind])
    if shown:
        rows = Coding.objects.filter(wanted, programme=programme, status=CodingStatus.SUGGESTED).values_list(
            "kind", "item_pk", "theme_id", "confidence"
        )
        for kind, pk, theme_id, confidence in rows:
            suggested[f"{kind}:{pk}"].append((theme_id, confidence))
    return CodingPage(
        items=shown,
        page=current,
        themes=active_themes(programme),
        suggested=dict(suggested),
        total=total,
        coded=coded,
        matching=pages.count,
    )


@dataclass
class SuggestionRow:
    coding: Coding
    item: CorpusItem


def suggestions(programme, *, limit: int = 200) -> list[SuggestionRow]:
    """Open suggestions, surest first, with the item's words."""
    by_key = {i.key: i for i in corpus_items(programme=programme)}
    rows = (
        Coding.objects.filter(programme=programme, status=CodingStatus.SUGGESTED, theme__status=ThemeStatus.ACTIVE)
        .select_related("theme")
        .order_by("-confidence", "kind", "item_pk", "theme_id")
    )
    out = []
    for coding in rows:
        if item := by_key.get(coding.key):
            out.append(SuggestionRow(coding=coding, item=item))
            if len(out) >= limit:
                break
    return out


def quotes_in_use(programme) -> list[Quote]:
    """The quotes chosen for the programme's themes in use, in the order they were chosen."""
    return list(Quote.objects.filter(theme__programme=programme, theme__status=ThemeStatus.ACTIVE).order_by("created_at", "id"))


@dataclass
class ThemeDetail:
    theme: Theme
    items: list[CorpusItem]
    quotes: list  # of public.LiveQuote
    quoted: set[str]
    decisions: list
    changes: list
    updates: list[Update]
    responses: list[Comment]
    merge_targets: list[Theme]
    offline_items: int


def theme_detail(theme: Theme) -> ThemeDetail:
    keys = set(
        f"{k}:{pk}"
        for k, pk in Coding.objects.filter(theme=theme, status=CodingStatus.CONFIRMED).values_list("kind", "item_pk")
    )
    items = [i for i in corpus_items(programme=theme.programme) if i.key in keys]
    quotes = list(theme.quotes.all())
    return ThemeDetail(
        theme=theme,
        items=items,
        quotes=live_quotes(quotes, theme.programme, items={i.key: i for i in items}),
        quoted={f"{q.kind}:{q.item_pk}" for q in quotes},
        decisions=list(theme.decisions.select_related("update", "response__thread", "linked_by")),
        changes=list(theme.changes.select_related("actor")[:50]),
        updates=list(
            Update.objects.published()
            .filter(programme_id=theme.programme_id)
            .only("id", "title")
            .order_by("-published_at")[:50]
        ),
        responses=list(
            Comment.objects.filter(
                is_official=True,
                visibility=Visibility.PUBLISHED,
                is_deleted=False,
                thread__board__programme_id=theme.programme_id,
            )
            .select_related("thread")
            .only("id", "created_at", "thread__title")
            .order_by("-created_at")[:50]
        ),
        merge_targets=[t for t in active_themes(theme.programme) if t.pk != theme.pk],
        offline_items=sum(1 for i in items if i.source == "offline"),
    )


# Cross-tabs ---------------------------------------------------------------------------------------

DIMENSIONS = {
    "board": "Board",
    "borough": "Borough",
    "source": "Online or offline",
    "month": "Month",
}
# Further dimensions plug in here: a name → (label, prepare), where prepare(items, programme) reads
# what it needs in a fixed number of queries and returns (a function from a CorpusItem to its group
# code, "" when unknown; a function from a code to its label). The equality groups (issue 17) are
# registered from groups.py; read by crosstabs() and the form.
EXTRA_DIMENSIONS: dict[str, tuple[str, object]] = dict(groups.DIMENSIONS)


def dimension_choices() -> list[tuple[str, str]]:
    return [*DIMENSIONS.items(), *((k, label) for k, (label, _) in EXTRA_DIMENSIONS.items())]


@dataclass
class Cell:
    count: int
    shown: str
    share: str
    lift: str


@dataclass
class CrossTab:
    dimension: str
    label: str
    columns: list[tuple[str, str]]
    rows: list[tuple[Theme, list[Cell], str]]
    column_totals: list[str]
    items: int
    coded_items: int
    test: analysis.ChiSquare | None
    column_labels: dict[str, str]
    totals: dict[int, int]


def _value_function(dimension: str, boards: dict[int, str], items, programme):
    if dimension == "board":
        return lambda i: str(i.board_id or ""), lambda v: boards.get(int(v), "No board") if v else "No board"
    if dimension == "borough":
        return lambda i: i.borough, lambda v: Borough(v).label if v in Borough.values else "Not known"
    if dimension == "source":
        return lambda i: i.source, lambda v: {"online": "Online", "offline": "Offline"}.get(v, v)
    if dimension == "month":
        return lambda i: f"{i.created:%Y-%m}", lambda v: f"{v[5:]}/{v[:4]}"
    _, prepare = EXTRA_DIMENSIONS[dimension]
    return prepare(items, programme)


def crosstab(programme, *, dimension: str, start=None, end=None) -> CrossTab:
    """Coded items by theme and one dimension: counts, each theme's share of its column, lift
    (observed ÷ expected if themes were spread evenly) and a chi-square test. A count under
    figures.SMALL_CELL shows as "fewer than 10", its share and lift are withheld, and it is left
    out of the test."""
    return crosstabs(programme, dimensions=[dimension], start=start, end=end)[0]


def crosstabs(programme, *, dimensions: list[str], start=None, end=None) -> list[CrossTab]:
    """crosstab() for several dimensions over one reading of the corpus (the evidence pack's)."""
    from .discovery import _bounds

    low, high = _bounds(start, end)
    items = corpus_items(programme=programme, start=low, end=high)
    coded = confirmed_keys(programme)
    themes = active_themes(programme)
    boards = dict(Board.objects.filter(programme=programme).values_list("id", "name"))
    return [_crosstab(dimension, items, coded, themes, boards, programme) for dimension in dimensions]


def _crosstab(dimension, items, coded, themes, boards, programme) -> CrossTab:
    value, label = _value_function(dimension, boards, items, programme)
    table: dict[int, Counter] = {t.pk: Counter() for t in themes}
    column_total: Counter = Counter()
    coded_items = 0
    for item in items:
        v = value(item)
        column_total[v] += 1
        if ids := coded.get(item.key):
            coded_items += 1
            for theme_id in ids:
                if theme_id in table:
                    table[theme_id][v] += 1
    columns = sorted(column_total, key=lambda v: (v == "", v))
    n = len(items)
    rows = []
    for theme in themes:
        counts = table[theme.pk]
        row_total = sum(counts.values())
        cells = []
        for v in columns:
            c = counts.get(v, 0)
            expected = row_total * column_total[v] / n if n else 0
            small = figures.is_small(c)
            cells.append(
                Cell(
                    count=c,
                    shown=figures.people(c),
                    share=figures.percent(c, column_total[v]),
                    lift="–" if small or not expected else f"{c / expected:.2f}",
                )
            )
        rows.append((theme, cells, figures.people(row_total)))
    test = analysis.chi_square(
        {str(t.pk): {v: table[t.pk].get(v, 0) for v in columns} for t in themes}, small=figures.SMALL_CELL
    )
    label_of = {v: label(v) for v in columns}
    return CrossTab(
        dimension=dimension,
        label=dict(dimension_choices())[dimension],
        columns=[(v, label_of[v]) for v in columns],
        rows=rows,
        column_totals=[figures.people(column_total[v]) for v in columns],
        items=n,
        coded_items=coded_items,
        test=test,
        column_labels=label_of,
        totals={t.pk: sum(table[t.pk].values()) for t in themes},
    )
