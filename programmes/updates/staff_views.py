"""The staff area for updates: write, preview as residents will see it, save, schedule, publish.

Each button posts the whole form with its `action`, so nothing typed is lost whichever is pressed,
and everything works without JavaScript; htmx only refreshes the plain-English check as staff type.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..models import Programme
from ..staff import staff_only
from . import plain_english, selectors, services, text
from .forms import PlainEnglishForm, UpdateForm
from .models import Update, UpdateStatus
from .views import discussion_context

ACTIONS = {"draft", "preview", "schedule", "publish", "edit"}
DONE = {
    "draft": "The update has been saved as a draft.",
    "schedule": "The update is scheduled. It will be published at {when}.",
    "publish": "The update has been published. Followers of the programme are being told.",
}


def _check_for(form) -> plain_english.PlainEnglish:
    """The check of the text as typed (bound) or as saved (initial), rendered as residents will read it."""
    data = form.data if form.is_bound else form.initial
    body_html = text.render(data.get("body") or "")
    return plain_english.check(data.get("title") or "", data.get("summary") or "", body_html)


@staff_only("programmes.change_update")
def update_list(request):
    status = request.GET.get("status", "")
    status = status if status in UpdateStatus.values else ""
    updates = selectors.updates_for_staff(status=status)
    return render(
        request,
        "programmes/staff/update_list.html",
        {"updates": updates, "status": status, "statuses": UpdateStatus.choices},
    )


def _preview(request, form, update: Update | None):
    data = form.cleaned_data
    preview = Update(
        pk=getattr(update, "pk", None),
        programme=data.get("programme") or update.programme,
        title=" ".join(data["title"].split()),
        summary=" ".join(data["summary"].split()),
        body=data["body"],
        body_html=text.render(data["body"]),
        tags=data["tags"],
        status=getattr(update, "status", UpdateStatus.DRAFT),
        published_at=getattr(update, "published_at", None),
        publish_at=data.get("publish_at") or getattr(update, "publish_at", None),
        author=request.user,
        thread=getattr(update, "thread", None),
    )
    context = discussion_context(request, preview.thread)
    context.update(
        update=preview,
        programme=preview.programme,
        preview=True,
        form=form,
        editing=update,
        check=_check_for(form),
        can_reply=False,
        can_report=False,
    )
    return render(request, "programmes/staff/update_preview.html", context)


def _update_form(request, update: Update | None):
    action = request.POST.get("action", "draft") if request.method == "POST" else ""
    action = action if action in ACTIONS else "draft"
    initial = None
    if update is None and request.GET.get("programme"):
        initial = {
            "programme": Programme.objects.filter(slug=request.GET["programme"]).values_list("pk", flat=True).first()
        }
    form = UpdateForm(request.POST or None, update=update, action=action, initial=initial)
    if request.method == "POST" and action != "edit" and form.is_valid():
        if action == "preview":
            return _preview(request, form, update)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                saved = services.update_save(
                    actor=request.user,
                    update=update,
                    programme=data["programme"],
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    tags=data["tags"],
                    draft=action == "draft",
                )
                if action == "schedule":
                    saved = services.update_schedule(actor=request.user, update=saved, publish_at=data["publish_at"])
                elif action == "publish":
                    saved = services.update_publish(actor=request.user, update=saved)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            when = saved.publish_at and timezone.localtime(saved.publish_at).strftime("%-d %B %Y, %H:%M")
            messages.success(request, DONE[action].format(when=when))
            return redirect("staff:update_edit", pk=saved.pk)
    return render(
        request,
        "programmes/staff/update_form.html",
        {"form": form, "update": update, "check": _check_for(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_only("programmes.change_update")
def update_create(request):
    return _update_form(request, None)


@staff_only("programmes.change_update")
def update_edit(request, pk):
    return _update_form(request, selectors.update_for_staff(pk=pk))


@staff_only("programmes.publish_update")
@require_POST
def update_unpublish(request, pk):
    update = selectors.update_for_staff(pk=pk)
    was = update.status
    services.update_unpublish(actor=request.user, update=update)
    if was == UpdateStatus.SCHEDULED:
        messages.success(request, "The schedule is cancelled. The update is a draft again.")
    elif was == UpdateStatus.PUBLISHED:
        messages.success(request, "The update has been unpublished. Residents can no longer see it or its discussion.")
    return redirect("staff:update_edit", pk=update.pk)


@staff_only("programmes.change_update")
@require_POST
def plain_english_check(request):
    """The plain-English panel for the text as typed so far (htmx)."""
    form = PlainEnglishForm(request.POST)
    form.is_valid()
    return render(request, "programmes/staff/_plain_english.html", {"check": _check_for(form)})
