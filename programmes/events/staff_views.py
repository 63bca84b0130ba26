import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from talkhealth import timefmt

from ..staff import staff_only
from . import selectors, services
from .forms import EventForm
from .models import Event


@staff_only("programmes.change_event")
def event_list(request):
    return render(request, "programmes/staff/event_list.html", {"events": selectors.events_for_staff()})


PREFILLED = ("programme", "title", "description", "borough")


def _event_form(request, event: Event | None):
    initial = {k: request.GET[k] for k in PREFILLED if k in request.GET} if event is None else {}
    form = EventForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_save(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The event has been saved.")
            return redirect("staff:event_edit", pk=saved.pk)
    return render(
        request, "programmes/staff/event_form.html", {"form": form, "event": event}, status=400 if form.errors else 200
    )


@staff_only("programmes.change_event")
def event_create(request):
    """A new event; links from who-was-heard prefill programme, title, description and borough."""
    return _event_form(request, None)


@staff_only("programmes.change_event")
def event_edit(request, pk):
    return _event_form(request, get_object_or_404(Event.objects.select_related("programme"), pk=pk))


@staff_only("programmes.change_event")
@require_POST
def event_cancel(request, pk):
    event = get_object_or_404(Event, pk=pk)
    services.event_cancel(actor=request.user, event=event)
    messages.success(request, "The event is cancelled. Everyone who booked or was waiting is being told.")
    return redirect("staff:event_edit", pk=event.pk)


@staff_only("programmes.change_event")
def event_attendees(request, pk):
    """Who booked, with the access needs they gave; `?format=csv` is a sign-in sheet to print."""
    event = get_object_or_404(Event.objects.select_related("programme"), pk=pk)
    attendees = selectors.event_attendees(event=event)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sign-in-sheet-event-{event.pk}.csv"'
        writer = csv.writer(response)
        writer.writerow([event.title, timefmt.exact_range(event.starts_at, event.ends_at)])
        writer.writerow(["Name", "Email", "Access needs", "Booked", "Signature"])
        for attendance in attendees:
            writer.writerow([
                _cell(attendance.user.display_name), attendance.user.email, _cell(attendance.access_needs),
                timefmt.exact(attendance.created_at), "",
            ])
        return response
    return render(request, "programmes/staff/event_attendees.html", {"event": event, "attendees": attendees})


def _cell(value: str) -> str:
    """Text people typed, kept from running as a formula when the sheet is opened in a spreadsheet."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
