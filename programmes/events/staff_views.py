from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

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
