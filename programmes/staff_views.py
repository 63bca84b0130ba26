"""The staff area's front page: what needs doing, and the way to each tool."""

from django.shortcuts import render

from .staff import staff_only
from .updates import selectors as update_selectors
from .updates.models import UpdateStatus


@staff_only()
def staff_home(request):
    updates = update_selectors.updates_for_staff()
    return render(
        request,
        "programmes/staff/home.html",
        {
            "drafts": [u for u in updates if u.status == UpdateStatus.DRAFT][:5],
            "scheduled": [u for u in updates if u.status == UpdateStatus.SCHEDULED][:5],
            "published": [u for u in updates if u.status == UpdateStatus.PUBLISHED][:5],
        },
    )
