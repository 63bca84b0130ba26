"""Programme updates in the site search. Only published updates are found: drafts, scheduled and
unpublished ones are staff business, searched in the staff area, never here. Their vector is stored
and indexed like threads' and comments' (programmes migration 0006): computed as each search ran, it
cost 55-100 ms with 100 published updates and most of a second with 1,000."""

from django.db.models import F

from forums.models import TaggedThread
from talkhealth import search
from talkhealth.search import Filters, Hit, Result, Terms

from .models import Update

FIELDS = {"title": 2, "summary": 1, "body": 1}


def update_hits(*, user, terms: Terms, filters: Filters, limit: int) -> list[Hit]:
    """The newest `limit` matching published updates, with their rank."""
    updates = Update.objects.published().filter(search.matches(terms, fields=tuple(FIELDS)))
    if filters.programme:
        updates = updates.filter(programme__slug=filters.programme)
    if filters.tag:
        updates = updates.filter(thread_id__in=TaggedThread.objects.filter(tag__slug=filters.tag).values("object_id"))
    if filters.since:
        updates = updates.filter(published_at__gte=filters.since)
    rows = (
        updates.annotate(rank=search.rank(terms, fallback=FIELDS), when=F("published_at"))
        .order_by("-published_at", "-pk")
        .values_list("pk", "rank", "when")[:limit]
    )
    return [Hit(kind="update", pk=pk, rank=rank, created_at=when) for pk, rank, when in rows]


def update_results(*, pks: list[int], terms: Terms) -> dict[int, Result]:
    updates = Update.objects.filter(pk__in=pks).select_related("programme").only(
        "id", "title", "summary", "body", "published_at", "programme__slug", "programme__short_name"
    )
    results = {}
    for update in search.with_headlines(updates, terms):
        title, snippet = search.title_and_snippet(update, terms, body=f"{update.summary} {update.body}")
        programme = update.programme
        results[update.pk] = Result(
            kind="update",
            label="Programme update",
            url=update.get_absolute_url(),
            title=search.highlight(title),
            snippet=search.highlight(snippet or update.summary),
            created_at=update.published_at,
            author=f"the {programme.short_name} team",
            context=programme.short_name,
            context_url=programme.get_absolute_url(),
        )
    return results
