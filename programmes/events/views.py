"""Event pages: upcoming events, each event with "I'll attend", and its calendar file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from talkhealth import pagecache

from .. import selectors as programme_selectors
from . import ical, selectors, services

EVENTS_PER_PAGE = 20


@pagecache.anonymous_page(params=("page",), tags=("events", "programme:{slug}"))
def upcoming(request, slug=None):
    programme = programme_selectors.programme_for_hub(slug=slug) if slug else None
    page = Paginator(selectors.upcoming_events(programme=programme), EVENTS_PER_PAGE).get_page(
        request.GET.get("page", 1)
    )
    return render(request, "programmes/events/list.html", {"programme": programme, "page": page})


@pagecache.anonymous_page(tags=("programme:{slug}",))
def event_detail(request, slug, pk):
    event = selectors.event_for_page(slug=slug, pk=pk)
    return render(
        request,
        "programmes/events/detail.html",
        {
            "event": event,
            "programme": event.programme,
            "attending": selectors.is_attending(event=event, user=request.user),
            "waiting": event.is_full and selectors.is_waiting(event=event, user=request.user),
            "can_attend": request.user.has_perm("programmes.attend_event"),
        },
    )


@login_required
@require_POST
def event_attend(request, slug, pk):
    event = selectors.event_for_page(slug=slug, pk=pk)
    try:
        if request.POST.get("attend") == "0":
            services.event_attendance_cancel(actor=request.user, event=event)
            messages.success(request, "Your place has been cancelled.")
        elif request.POST.get("attend") == "wait":
            services.event_waiting_join(
                actor=request.user, event=event, access_needs=request.POST.get("access_needs", "")
            )
            messages.success(request, "You are on the waiting list. If a place comes up it will be yours, and we will tell you.")
        elif request.POST.get("attend") == "unwait":
            services.event_waiting_leave(actor=request.user, event=event)
            messages.success(request, "You have left the waiting list.")
        else:
            booked = services.event_attend(
                actor=request.user, event=event, access_needs=request.POST.get("access_needs", "")
            )
            messages.success(
                request,
                "Your place is booked. We have sent you a confirmation. You can add the event to your calendar below."
                if booked
                else "You already have a place.",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(event)


def event_calendar(request, slug, pk):
    event = selectors.event_for_page(slug=slug, pk=pk)
    response = HttpResponse(ical.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="talk-health-event-{event.pk}.ics"'
    return response
