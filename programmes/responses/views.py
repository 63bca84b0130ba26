"""Closing the loop: staff set a discussion's status, and each programme's "You said, we did" page
lists the discussions the partnership has answered or acted on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from forums.models import Thread, ThreadStatus
from talkhealth import pagecache

from .. import selectors as programme_selectors
from ..staff import staff_only
from ..themes.public import decided_themes
from ..updates.models import Update
from . import selectors
from . import services as responses
from .forms import ThreadStatusForm


@staff_only("programmes.set_thread_status")
def thread_status(request, pk):
    thread = get_object_or_404(Thread.objects.select_related("board", "board__programme"), pk=pk)
    programme = thread.board.programme
    updates = Update.objects.published().filter(programme=programme).only("id", "title").order_by("-published_at")
    form = ThreadStatusForm(
        request.POST or None,
        updates=updates,
        initial={"status": thread.status, "update": thread.status_update_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            responses.thread_status_set(
                actor=request.user,
                thread=thread,
                status=form.cleaned_data["status"],
                update=form.cleaned_data["update"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The status is saved. Everyone who took part in the discussion is being told.")
            return redirect(thread)
    return render(
        request,
        "programmes/staff/thread_status.html",
        {"thread": thread, "programme": programme, "form": form},
        status=400 if form.errors else 200,
    )


@pagecache.anonymous_page(tags=("programme:{slug}", "hub:{slug}", "~activity:{slug}"))
def you_said_we_did(request, slug):
    programme = programme_selectors.programme_for_hub(slug=slug)
    threads = selectors.threads_with_status(programme=programme, user=request.user)
    sections = [
        (status, status.label, [t for t in threads if t.status == status])
        for status in (ThreadStatus.CHANGED, ThreadStatus.CONSIDERING, ThreadStatus.RESPONDED)
    ]
    return render(
        request,
        "programmes/you_said_we_did.html",
        {
            "programme": programme,
            "sections": sections,
            "count": len(threads),
            "themes": decided_themes(programme),
        },
    )
