"""Moderation pages. Everyone who is not a moderator or partnership staff gets a 404 here."""

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from talkhealth import signposting
from talkhealth.access import permitted_or_404

from .. import selectors as forum_selectors
from ..models import Comment, Thread
from . import safeguarding, selectors, services
from .forms import (
    AppealDecisionForm,
    AppealForm,
    BulkForm,
    DecisionForm,
    EditForm,
    LogFilterForm,
    ReferralForm,
    ReportForm,
    SanctionForm,
    SupportForm,
    ThreadActionForm,
)
from .models import FlaggedItem, ModerationAction, Priority, ReportReason


def moderators_only(view):
    """Moderation pages do not exist for anyone else, signed in or not: 404, never a login prompt."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        permitted_or_404(request.user, "forums.access_moderation")
        return view(request, *args, **kwargs)

    return wrapper


def _apply(form, call):
    """Run a service; its refusal becomes a message on the form rather than an error page."""
    try:
        return call()
    except ValidationError as error:
        form.add_error(None, error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or "You cannot do that here.")
    return None


# Residents: reporting --------------------------------------------------------------------------


def _report(request, content, thread):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = _apply(form, lambda: services.report_file(
            actor=request.user, content=content, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"]
        ))
        if report is not None:
            at_risk = report.reason == ReportReason.AT_RISK
            if request.htmx:
                return render(request, "forums/moderation/_report_done.html", {"at_risk": at_risk})
            messages.success(request, "Thank you. A moderator will look at your report and tell you the outcome.")
            if at_risk:
                messages.warning(request, signposting.TEXT, extra_tags=signposting.MESSAGE_TAG)
            return redirect(content.get_absolute_url())
    template = "forums/moderation/_report_form.html" if request.htmx else "forums/moderation/report.html"
    return render(request, template, {"form": form, "content": content, "thread": thread,
                                      "action_url": request.path}, status=400 if form.errors else 200)


@login_required
def thread_report(request, pk):
    thread = forum_selectors.thread_detail(pk=pk, user=request.user)
    if not request.user.has_perm("forums.report_content"):
        raise PermissionDenied("Confirm your email address before reporting posts.")
    return _report(request, thread, thread)


@login_required
def comment_report(request, pk):
    comment = forum_selectors.comment_for_action(pk=pk, user=request.user)
    if not request.user.has_perm("forums.report_content"):
        raise PermissionDenied("Confirm your email address before reporting posts.")
    return _report(request, comment, comment.thread)


# The queue -------------------------------------------------------------------------------------


@moderators_only
def queue(request):
    data = selectors.queue(
        user=request.user,
        programme=request.GET.get("programme", ""),
        reason=request.GET.get("reason", ""),
        status=request.GET.get("status", "pending"),
        page=request.GET.get("page", 1),
    )
    bulk = BulkForm(request.POST or None, item_ids=[i.pk for i in data["page"].object_list])
    return render(request, "forums/moderation/queue.html", {
        **data, "bulk": bulk, "reasons": [("held", "Held for review")] + list(ReportReason.choices),
        "programmes": forum_selectors.programmes_for_filter(),
    })


@moderators_only
@require_POST
def bulk(request):
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    form = BulkForm(request.POST, item_ids=ids)
    if form.is_valid():
        items = list(FlaggedItem.objects.filter(pk__in=form.cleaned_data["items"]))
        done = _apply(form, lambda: services.items_bulk(
            actor=request.user, items=items, action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"], house_rule=form.cleaned_data["house_rule"],
        ))
        if done is not None:
            messages.success(request, f"{done} item{'s' if done != 1 else ''} dealt with.")
            return redirect("moderation:queue")
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    if not ids:
        messages.error(request, "Select at least one item.")
    return redirect("moderation:queue")


@moderators_only
def item(request, pk):
    context = selectors.item_detail(user=request.user, pk=pk)
    item = context["item"]
    which = request.POST.get("form")
    # Four forms on one page: each field id is prefixed with its form's name, so no two share an id.
    forms = {
        name: form_class(request.POST if request.POST.get("form") == name else None, auto_id=f"{name}_%s", **extra)
        for name, form_class, extra in (
            ("decision", DecisionForm, {}),
            ("sanction", SanctionForm, {}),
            ("edit", EditForm, {"initial": {"body": context["content"].body}}),
            ("thread", ThreadActionForm, {}),
        )
    }
    if item.priority == Priority.AT_RISK:
        forms["support"] = SupportForm(request.POST if which == "support" else None,
                                       initial={"message": context["supportive_message"]})
        forms["referral"] = ReferralForm(request.POST if which == "referral" else None)
    if request.method == "POST":
        form = forms.get(request.POST.get("form"))
        if form is not None and form.is_valid() and _act(request, form, item, context["content"]):
            return redirect("moderation:item", pk=item.pk)
    return render(request, "forums/moderation/item.html", {**context, "forms": forms}, status=400 if request.method == "POST" else 200)


def _act(request, form, item, content) -> bool:
    data, actor, which = form.cleaned_data, request.user, request.POST.get("form")
    if which == "decision":
        call = {
            "dismiss": lambda: services.item_dismiss(actor=actor, item=item, reason=data["reason"]),
            "approve": lambda: services.item_approve(actor=actor, item=item, reason=data["reason"]),
            "hide": lambda: services.item_hide(actor=actor, item=item, reason=data["reason"], house_rule=data["house_rule"]),
            "remove": lambda: services.item_remove(actor=actor, item=item, reason=data["reason"], house_rule=data["house_rule"]),
        }[data["action"]]
    elif which == "support":
        call = lambda: safeguarding.person_support(actor=actor, item=item, message=data["message"])  # noqa: E731
    elif which == "referral":
        call = lambda: safeguarding.referral_record(actor=actor, item=item, **data)  # noqa: E731
    elif which == "sanction":
        kwargs = {"actor": actor, "user": content.author, "reason": data["reason"], "house_rule": data["house_rule"], "content": content}
        call = {
            "warn": lambda: services.user_warn(item=item if item.status == FlaggedItem.Status.PENDING else None, **kwargs),
            "suspend": lambda: services.user_suspend(days=data["days"], **kwargs),
            "ban": lambda: services.user_ban(**kwargs),
        }[data["action"]]
    elif which == "edit":
        call = lambda: services.content_edit(actor=actor, content=content, body=data["body"], reason=data["reason"])  # noqa: E731
    else:
        thread = item.thread
        call = {
            "lock": lambda: services.thread_lock_set(actor=actor, thread=thread, locked=True, reason=data["reason"]),
            "unlock": lambda: services.thread_lock_set(actor=actor, thread=thread, locked=False, reason=data["reason"]),
            "pin": lambda: services.thread_pin_set(actor=actor, thread=thread, pinned=True, reason=data["reason"]),
            "unpin": lambda: services.thread_pin_set(actor=actor, thread=thread, pinned=False, reason=data["reason"]),
            "move": lambda: services.thread_move(actor=actor, thread=thread, board=data["board"], reason=data["reason"]),
        }[data["action"]]
    if _apply(form, call) is None:
        return False
    messages.success(request, "Done. It is recorded in the safeguarding log." if which in ("support", "referral")
                     else "Done. The action is recorded in the audit log.")
    return True


# Audit log -------------------------------------------------------------------------------------


@moderators_only
def audit_log(request):
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.audit_log(user=request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        return _audit_csv(actions)
    page = forum_selectors.paginate(actions, request.GET.get("page", 1), per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "forums/moderation/log.html", {"form": form, "page": page, "query": query.urlencode()})


def _audit_csv(actions) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="moderation-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["when", "moderator", "action", "programme", "content", "author", "house rule", "reason", "before", "after"])
    for a in actions.iterator(chunk_size=1000):
        writer.writerow([
            a.created_at.isoformat(), a.actor.display_name if a.actor else "automatic", a.get_kind_display(),
            a.programme.slug if a.programme else "", a.content_key, a.subject.display_name if a.subject else "",
            a.get_house_rule_display() if a.house_rule else "", _csv_safe(a.reason), _csv_safe(str(a.before)),
            _csv_safe(str(a.after)),
        ])
    return response


def _csv_safe(value: str) -> str:
    """Cells starting with = + - @ are read as formulas by spreadsheets; quote them as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


# Decisions and appeals -------------------------------------------------------------------------


@login_required
def decision(request, pk):
    action = selectors.decision_for(user=request.user, pk=pk)
    existing = action.appeal if _has_appeal(action) else None
    can_appeal = action.subject_id == request.user.pk and action.kind in services.APPEALABLE
    form = AppealForm(request.POST or None)
    if request.method == "POST" and can_appeal and existing is None and form.is_valid():
        appeal = _apply(form, lambda: services.appeal_file(actor=request.user, action=action, text=form.cleaned_data["text"]))
        if appeal is not None:
            messages.success(request, "Your appeal has been sent. A different moderator will decide and let you know.")
            return redirect("moderation:decision", pk=action.pk)
    return render(request, "forums/moderation/decision.html",
                  {"action": action, "can_appeal": can_appeal and existing is None, "appeal": existing, "form": form})


def _has_appeal(action) -> bool:
    try:
        action.appeal  # noqa: B018
    except ModerationAction.appeal.RelatedObjectDoesNotExist:
        return False
    return True


@moderators_only
def appeals(request):
    return render(request, "forums/moderation/appeals.html", {"appeals": selectors.appeals_pending(user=request.user)})


@moderators_only
def deletions(request):
    """Accounts deleted by their owners or for never confirming an email, without personal data."""
    page = selectors.account_deletions(page=request.GET.get("page", 1))
    return render(request, "forums/moderation/deletions.html", {"page": page})


@moderators_only
def appeal(request, pk):
    appeal = selectors.appeal_detail(user=request.user, pk=pk)
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _apply(form, lambda: services.appeal_decide(
            actor=request.user, appeal=appeal, reverse=form.cleaned_data["decision"] == "reverse",
            reason=form.cleaned_data["reason"],
        ))
        if done is not None:
            messages.success(request, "The appeal is decided and the person has been told.")
            return redirect("moderation:appeals")
    return render(request, "forums/moderation/appeal.html", {"appeal": appeal, "form": form,
                                                             "own_decision": appeal.action.actor_id == request.user.pk})


# Moderating a thread directly ------------------------------------------------------------------


def _moderate(request, content, programme_id):
    """The post's waiting item if it has one; otherwise a page offering to open one. GET never writes:
    the item is made by the POST of that page."""
    permitted_or_404(request.user, "forums.moderate_programme", programme_id)
    pending = selectors.pending_item_for(content_key=services.content_key(content))
    if pending is not None:
        return redirect("moderation:item", pk=pending.pk)
    if request.method == "POST":
        item = services.item_for(actor=request.user, content=content)
        return redirect("moderation:item", pk=item.pk)
    return render(request, "forums/moderation/open.html", {"content": content})


@moderators_only
def thread_moderate(request, pk):
    thread = get_object_or_404(Thread.objects.select_related("board", "board__programme", "author"), pk=pk)
    return _moderate(request, thread, thread.board.programme_id)


@moderators_only
def comment_moderate(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("thread__board", "author"), pk=pk)
    return _moderate(request, comment, comment.thread.board.programme_id)


def safeguarding_log(request):
    """The safeguarding log, for safeguarding leads only (a 404 for everyone else)."""
    permitted_or_404(request.user, "forums.view_safeguarding_log")
    page = forum_selectors.paginate(selectors.safeguarding_log(), request.GET.get("page", 1), per_page=50)
    return render(request, "forums/moderation/safeguarding.html", {"page": page})


def public_figures(request, programme_slug):
    """Monthly moderation figures for a programme, open to everyone."""
    programme = forum_selectors.programme_by_slug(slug=programme_slug)
    return render(request, "forums/moderation/figures.html", {
        "programme": programme, "months": selectors.monthly_figures(programme=programme),
        "reasons": ReportReason.choices,
    })
