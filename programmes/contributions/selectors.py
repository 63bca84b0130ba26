"""Reads for the staff pages on sessions and offline contributions, every join decided here."""

from django.db.models import Count, Prefetch, Q
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
        ContributionAudit.objects.filter(contribution=contribution).select_related("actor").order_by("created_at", "id")
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
