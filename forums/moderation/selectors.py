"""Reads for the moderation pages, each with its joins decided here."""

import statistics
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AccountDeletion

from ..models import Comment, Thread
from ..rules import moderated_programme_ids
from . import safeguarding
from .models import Appeal, FlaggedItem, ModerationAction, Priority, Report, ReportReason, SafeguardingEntry, Sanction

QUEUE_PAGE_SIZE = 25


def _scoped(queryset, user, field: str = "programme_id"):
    scope = moderated_programme_ids(user)
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})


def queue(*, user, programme: str = "", reason: str = "", status: str = "pending", page=1) -> dict:
    """The queue, most urgent first, with counts for each filter value in the current scope."""
    status = status if status in FlaggedItem.Status.values else FlaggedItem.Status.PENDING
    base = _scoped(FlaggedItem.objects.all(), user)
    items = base.filter(status=status)
    if programme:
        items = items.filter(programme__slug=programme)
    if reason == "held":
        items = items.filter(held=True)
    elif reason in ReportReason.values:
        items = items.filter(reports__reason=reason).distinct()
    items = items.select_related(
        "thread", "thread__author", "thread__board", "comment", "comment__author", "programme"
    ).prefetch_related("reports")
    if status == FlaggedItem.Status.PENDING:
        items = items.order_by("priority", "-open_reports", "flagged_at", "id")
    else:
        items = items.order_by("-resolved_at", "-id")

    pending = base.filter(status=FlaggedItem.Status.PENDING)
    by_programme = dict(pending.values_list("programme__slug").annotate(n=Count("id")).values_list("programme__slug", "n"))
    by_reason = dict(
        Report.objects.filter(item__in=pending, status=Report.Status.OPEN)
        .values_list("reason").annotate(n=Count("item", distinct=True)).values_list("reason", "n")
    )
    by_reason["held"] = pending.filter(held=True).count()
    by_status = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "page": Paginator(items, QUEUE_PAGE_SIZE).get_page(page),
        "counts": {"programme": by_programme, "reason": by_reason, "status": by_status},
        "filters": {"programme": programme, "reason": reason, "status": status},
    }


def item_detail(*, user, pk: int) -> dict:
    """An item in context: the thread, the comment it answers, the author's recent posts and record."""
    item = get_object_or_404(
        _scoped(FlaggedItem.objects.all(), user).select_related(
            "thread", "thread__board", "thread__board__programme", "thread__author", "comment", "comment__author",
            "comment__parent", "comment__parent__author", "programme",
        ),
        pk=pk,
    )
    content = item.target
    author = content.author
    recent_comments = list(
        Comment.objects.filter(author=author).exclude(pk=getattr(item.comment, "pk", None))
        .select_related("thread").order_by("-created_at")[:5]
    )
    recent_threads = list(Thread.objects.filter(author=author).exclude(pk=item.thread_id).order_by("-created_at")[:5])
    history = list(
        _scoped(ModerationAction.objects.filter(subject=author), user)
        .select_related("actor").order_by("-created_at")[:10]
    )
    # Earlier versions of the post: a comment's, or a discussion's opening post (moderators read them here).
    post = item.comment if item.comment_id else item.thread
    revisions = list(post.revisions.select_related("edited_by")) if post is not None else []
    reports = list(item.reports.select_related("reporter").order_by("created_at"))
    at_risk = item.priority == Priority.AT_RISK
    return {
        "item": item,
        "content": content,
        "author": author,
        "reports": reports,
        "recent_comments": recent_comments,
        "recent_threads": recent_threads,
        "history": history,
        "at_risk": at_risk,
        "supportive_message": safeguarding.supportive_message_draft(item=item) if at_risk else "",
        "safeguarding": list(item.safeguarding.select_related("actor").order_by("created_at"))
        if at_risk and user.has_perm("forums.view_safeguarding_log") else [],
        "procedure_url": settings.SAFEGUARDING_PROCEDURE_URL,
        "revisions": revisions,
    }


def pending_item_for(*, content_key: str) -> FlaggedItem | None:
    return FlaggedItem.objects.filter(content_key=content_key, status=FlaggedItem.Status.PENDING).first()


def safeguarding_log():
    """Every safeguarding entry, newest first, with the people and the item's programme."""
    return SafeguardingEntry.objects.select_related("actor", "subject", "programme", "item").order_by("-created_at", "-id")


WAITING_COUNT_SECONDS = 20


def waiting_count(*, user) -> int:
    """Items waiting for review in the moderator's programmes: the header badge on every page they
    open, so counted at most once every WAITING_COUNT_SECONDS per moderator."""
    return cache.get_or_set(
        f"moderation-waiting:{user.pk}",
        lambda: _scoped(FlaggedItem.objects.filter(status=FlaggedItem.Status.PENDING), user).count(),
        WAITING_COUNT_SECONDS,
    )


def audit_log(*, user, actor: str = "", kind: str = "", programme: str = "", since=None, until=None):
    actions = _scoped(ModerationAction.objects.all(), user).select_related("actor", "subject", "programme")
    if actor:
        actions = actions.filter(actor__display_name__iexact=actor)
    if kind in ModerationAction.Kind.values:
        actions = actions.filter(kind=kind)
    if programme:
        actions = actions.filter(programme__slug=programme)
    if since:
        actions = actions.filter(created_at__date__gte=since)
    if until:
        actions = actions.filter(created_at__date__lte=until)
    return actions.order_by("-created_at", "-id")


def decision_for(*, user, pk: int) -> ModerationAction:
    """A decision as its subject sees it (or any moderator in scope); 404 for everyone else."""
    action = get_object_or_404(
        ModerationAction.objects.select_related("actor", "thread", "comment", "subject"), pk=pk
    )
    if action.subject_id == user.pk:
        return action
    if user.has_perm("forums.moderate_programme", action.programme_id):
        return action
    raise Http404


def appeals_pending(*, user):
    appeals = Appeal.objects.filter(status=Appeal.Status.PENDING).exclude(action__actor=user)
    return _scoped(appeals, user, "action__programme_id").select_related("action", "action__actor", "appellant")


def appeal_detail(*, user, pk: int) -> Appeal:
    appeal = get_object_or_404(
        _scoped(Appeal.objects.all(), user, "action__programme_id").select_related(
            "action", "action__actor", "action__subject", "action__thread", "action__comment", "appellant"
        ),
        pk=pk,
    )
    return appeal


def monthly_figures(*, programme, months: int = 12) -> list[dict]:
    """Public figures per month: reports by reason, items hidden or removed, median hours to a decision."""
    since = (timezone.now() - timedelta(days=31 * months)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    reports = (
        Report.objects.filter(item__programme=programme, created_at__gte=since)
        .annotate(month=TruncMonth("created_at")).values_list("month", "reason").annotate(n=Count("id"))
    )
    taken_down = (
        ModerationAction.objects.filter(
            programme=programme, created_at__gte=since,
            kind__in=[ModerationAction.Kind.HIDE, ModerationAction.Kind.REMOVE],
        ).annotate(month=TruncMonth("created_at")).values_list("month").annotate(n=Count("id"))
    )
    resolved = FlaggedItem.objects.filter(
        programme=programme, status=FlaggedItem.Status.RESOLVED, resolved_at__gte=since
    ).values_list("flagged_at", "resolved_at")

    table: dict[datetime, dict] = {}

    def row(month):
        key = timezone.localtime(month).date().replace(day=1) if isinstance(month, datetime) else month.replace(day=1)
        return table.setdefault(key, {"month": key, "reasons": {}, "reports": 0, "taken_down": 0, "hours": []})

    for month, reason, n in reports:
        r = row(month)
        r["reasons"][reason] = n
        r["reports"] += n
    for month, n in taken_down:
        row(month)["taken_down"] = n
    for flagged, decided in resolved:
        row(decided)["hours"].append((decided - flagged).total_seconds() / 3600)
    for r in table.values():
        r["median_hours"] = round(statistics.median(r.pop("hours")), 1) if r.get("hours") else None
        r["reasons"] = [(label, r["reasons"].get(value, 0)) for value, label in ReportReason.choices]
    return sorted(table.values(), key=lambda r: r["month"], reverse=True)


def account_deletions(*, page=1) -> Page:
    return Paginator(AccountDeletion.objects.all(), 50).get_page(page)


def active_suspension(*, user):
    """The person's current posting suspension, if any: why, until when, and the decision to appeal."""
    if not user.is_authenticated:
        return None
    return (
        Sanction.objects.filter(user=user, kind=Sanction.Kind.SUSPENSION, lifted_at=None, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )
