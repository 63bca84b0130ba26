"""Reads for the staff pages on sessions and offline contributions, every join decided here."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forums.models import Thread, Visibility

from ..events.models import Event
from ..models import Programme
from .models import Consent, ContributionAudit, ContributionImport, EngagementSession, OfflineContribution

PROGRAMMES = Prefetch("programmes", queryset=Programme.objects.only("id", "slug", "short_name", "name"))


def sessions_for_staff() -> list[EngagementSession]:
    return list(
        EngagementSession.objects.prefetch_related(PROGRAMMES).annotate(
            contribution_count=Count("contributions", filter=~Q(contributions__consent=Consent.WITHDRAWN))
        )[:200]
    )


def events_awaiting_session(limit: int = 10) -> list[Event]:
    """Events that have happened with no session record yet: each can become one."""
    return list(
        Event.objects.filter(ends_at__lte=timezone.now(), engagement_session__isnull=True)
        .select_related("programme")
        .order_by("-ends_at")[:limit]
    )


def session_page(pk: int) -> EngagementSession:
    session = get_object_or_404(
        EngagementSession.objects.select_related("event", "event__programme").prefetch_related(PROGRAMMES), pk=pk
    )
    contributions = (
        OfflineContribution.objects.filter(session=session)
        .select_related("programme")
        .only("id", "text", "channel", "consent", "comment_id", "programme__short_name", "original", "created_at")
        .order_by("-id")
    )
    session.recent = list(contributions[:100])
    counts = dict(
        OfflineContribution.objects.filter(session=session).values_list("consent").annotate(n=Count("pk")).order_by()
    )
    session.counts = {consent: counts.get(consent, 0) for consent in Consent.values}
    session.total = sum(n for consent, n in session.counts.items() if consent != Consent.WITHDRAWN)
    session.recent_imports = list(ContributionImport.objects.filter(session=session).order_by("-created_at")[:5])
    return session


def contribution_page(pk: int) -> OfflineContribution:
    contribution = get_object_or_404(
        OfflineContribution.objects.select_related(
            "session", "programme", "transcribed_by", "comment", "comment__thread"
        ).prefetch_related(Prefetch("session__programmes", queryset=Programme.objects.only("id", "short_name"))),
        pk=pk,
    )
    contribution.trail = list(
        ContributionAudit.objects.filter(contribution=contribution)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    contribution.threads = []
    if contribution.consent == Consent.PUBLISH and not contribution.comment_id:
        contribution.threads = publish_targets(contribution.programme_id)
    return contribution


def publish_targets(programme_id: int, limit: int = 50) -> list[Thread]:
    """Open discussions in the programme a contribution could be placed in, latest activity first."""
    return list(
        Thread.objects.filter(board__programme_id=programme_id, visibility=Visibility.PUBLISHED, is_locked=False)
        .select_related("board")
        .only("id", "title", "board__name", "board__programme_id")
        .order_by("-last_activity_at")[:limit]
    )


def import_page(pk: int) -> ContributionImport:
    return get_object_or_404(ContributionImport.objects.select_related("session"), pk=pk)


def _count(queryset, by: str, expression=None):
    grouped = queryset.filter(**{by: OuterRef("pk")}).order_by().values(by)
    return Coalesce(
        Subquery(grouped.annotate(n=expression or Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


def with_voices(programmes):
    """Annotate each programme with `online_posts` (published discussion posts, from the stored
    reply counters), `offline_contributions` (consent not withdrawn) and `all_contributions`, inside
    the programme's own query. An offline contribution shown in a discussion counts once, offline."""
    threads = Thread.objects.filter(visibility=Visibility.PUBLISHED, board__accepts_threads=True)
    offline = OfflineContribution.objects.analysable()
    placed = offline.filter(comment__visibility=Visibility.PUBLISHED, comment__is_deleted=False)
    return programmes.annotate(
        posts=_count(threads, "board__programme", Count("pk") + Sum("reply_count")),
        offline_contributions=_count(offline, "programme"),
        offline_placed=_count(placed, "programme"),
    ).annotate(
        online_posts=F("posts") - F("offline_placed"),
        all_contributions=F("posts") - F("offline_placed") + F("offline_contributions"),
    )


@dataclass
class OfflineFigures:
    contributions: int = 0
    publishable: int = 0
    sessions: int = 0


def offline_figures(*, since, until, programme=None) -> OfflineFigures:
    """Offline contributions (consent not withdrawn) from sessions held in [since, until), in one query."""
    offline = OfflineContribution.objects.analysable().filter(
        session__date__gte=_day(since), session__date__lt=_day(until)
    )
    if programme is not None:
        offline = offline.filter(programme=programme)
    totals = offline.aggregate(
        contributions=Count("pk"),
        publishable=Count("pk", filter=Q(consent=Consent.PUBLISH)),
        sessions=Count("session", distinct=True),
    )
    return OfflineFigures(**totals)


def _day(moment) -> date:
    return timezone.localtime(moment).date() if hasattr(moment, "tzinfo") else moment
