"""Staff pages for engagement sessions and offline contributions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from ..events.models import Event
from ..staff import staff_only
from . import imports, jobs, selectors, services
from .forms import ContributionForm, DecisionForm, ImportForm, PublishForm, SessionForm
from .models import ContributionImport, OfflineContribution
from .originals import image_type

PERM = "programmes.record_offline"


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@staff_only(PERM)
def session_list(request):
    return render(
        request,
        "programmes/contributions/session_list.html",
        {"sessions": selectors.sessions_for_staff(), "events": selectors.events_awaiting_session()},
    )


def _session_form(request, session=None, event=None):
    initial = (
        SessionForm.initial_for(session)
        if session
        else (services.session_initial_from_event(event) if event else None)
    )
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.session_save(actor=request.user, session=session, event=event, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The session has been saved.")
            return redirect(saved)
    return render(
        request,
        "programmes/contributions/session_form.html",
        {"form": form, "session": session, "event": event},
        status=400 if form.errors else 200,
    )


@staff_only(PERM)
def session_create(request):
    return _session_form(request)


@staff_only(PERM)
def session_edit(request, pk):
    return _session_form(request, session=selectors.session_page(pk))


@staff_only(PERM)
def session_from_event(request, pk):
    return _session_form(request, event=get_object_or_404(Event, pk=pk))


@staff_only(PERM)
def session_detail(request, pk):
    """The session, and fast entry: each saved contribution brings back an empty text box with the
    last entry's consent, channel, programme, language and borough still chosen."""
    session = selectors.session_page(pk)
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES, session=session)
        if form.is_valid():
            try:
                contribution = services.contribution_record(
                    actor=request.user,
                    session=session,
                    original=form.cleaned_data["original"],
                    personal_confirmed=form.cleaned_data["personal_confirmed"],
                    **form.service_fields(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                sticky = {name: form.data.get(name, "") for name in ContributionForm.STICKY}
                messages.success(request, f"Contribution {contribution.pk} saved. Type the next one.")
                return redirect(f"{reverse('staff:session', args=[session.pk])}?{urlencode(sticky)}")
    else:
        sticky = {name: request.GET[name] for name in ContributionForm.STICKY if request.GET.get(name)}
        form = ContributionForm(session=session, initial=sticky)
    asks_personal = "personal_info" in [e.code for e in form.errors.as_data().get("text", [])]
    return render(
        request,
        "programmes/contributions/session_detail.html",
        {"session": session, "form": form, "asks_personal": asks_personal},
        status=400 if form.errors else 200,
    )


@staff_only(PERM)
def contribution_detail(request, pk):
    contribution = selectors.contribution_page(pk)
    form = publish = None
    if contribution.consent != "withdrawn":
        form = ContributionForm(
            request.POST or None, request.FILES or None, session=contribution.session, initial=_initial(contribution)
        )
        publish = PublishForm(threads=contribution.threads) if contribution.threads else None
        if request.method == "POST" and form.is_valid():
            try:
                services.contribution_edit(
                    actor=request.user,
                    contribution=contribution,
                    original=form.cleaned_data["original"],
                    personal_confirmed=form.cleaned_data["personal_confirmed"],
                    **form.service_fields(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "The contribution has been saved.")
                return redirect(contribution)
    asks_personal = form is not None and "personal_info" in [e.code for e in form.errors.as_data().get("text", [])]
    return render(
        request,
        "programmes/contributions/contribution_detail.html",
        {"contribution": contribution, "form": form, "publish": publish, "asks_personal": asks_personal},
        status=400 if form is not None and form.errors else 200,
    )


def _initial(contribution: OfflineContribution) -> dict:
    names = ["text", "consent", "channel", "language", "borough", "is_translation", *ContributionForm.EQUALITY]
    return {"programme": contribution.programme_id, **{name: getattr(contribution, name) for name in names}}


@staff_only("programmes.publish_offline")
def contribution_publish(request, pk):
    if request.method != "POST":
        return redirect("staff:contribution", pk=pk)
    contribution = selectors.contribution_page(pk)
    form = PublishForm(request.POST, threads=contribution.threads)
    if form.is_valid():
        try:
            comment = services.contribution_publish(
                actor=request.user, contribution=contribution, thread=form.cleaned_data["thread"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "It is now in the discussion, with where it was said.")
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "programmes/contributions/contribution_detail.html",
        {"contribution": contribution, "form": None, "publish": form, "publish_errors": True},
        status=400,
    )


@staff_only(PERM)
def contribution_withdraw(request, pk):
    contribution = get_object_or_404(OfflineContribution.objects.select_related("session"), pk=pk)
    if request.method == "POST":
        services.contribution_withdraw(actor=request.user, contribution=contribution)
        messages.success(request, "Consent withdrawn: the words have been deleted everywhere.")
        return redirect(contribution)
    return render(request, "programmes/contributions/contribution_withdraw.html", {"contribution": contribution})


@staff_only(PERM)
def contribution_original(request, pk):
    """The photo of the original, to partnership staff only, never cached or run by the browser."""
    contribution = get_object_or_404(OfflineContribution, pk=pk)
    if not contribution.original:
        raise Http404
    handle = contribution.original.open("rb")
    mime = image_type(handle.read(12)) or "application/octet-stream"
    handle.seek(0)
    response = FileResponse(handle, content_type=mime)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@staff_only(PERM)
def import_upload(request, pk):
    session = selectors.session_page(pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error(
                "file",
                f"The file is larger than {imports.MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files.",
            )
        else:
            try:
                job = jobs.import_upload(actor=request.user, session=session, name=upload.name, data=upload.read())
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect(job)
    return render(
        request,
        "programmes/contributions/import_upload.html",
        {"session": session, "form": form, "columns": imports.COLUMNS, "hints": imports.column_hints()},
        status=400 if form.errors else 200,
    )


@staff_only(PERM)
def import_detail(request, pk):
    job = selectors.import_page(pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_decide(actor=request.user, job=job, mode=form.cleaned_data["mode"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if job.status == ContributionImport.Status.CANCELLED:
                messages.success(request, "Nothing was imported. Fix the file and upload it again.")
            return redirect(job)
    template = (
        "programmes/contributions/_import_progress.html"
        if request.htmx
        else "programmes/contributions/import_detail.html"
    )
    return render(request, template, {"job": job, "form": form}, status=400 if form.errors else 200)


@staff_only(PERM)
def import_rejects(request, pk):
    job = selectors.import_page(pk)
    data = jobs.rejects(job)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejects-{job.pk}.csv"'
    return response


@staff_only(PERM)
def import_template(request):
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="offline-contributions.xlsx"'
    else:
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="offline-contributions.csv"'
    return response
