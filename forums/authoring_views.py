"""Authors' pages for the opening post of their own discussion: edit, delete, and its edit history.

Everyone else gets a 404 for edit and delete (hidden things answer like missing ones); moderators
read the history too, and act on discussions through the moderation pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from talkhealth.access import permitted_or_404

from . import selectors
from .authoring import thread_delete as delete_thread, thread_edit as edit_thread
from .forms import ThreadEditForm
from .views import _refused, _screening_messages


def _own_thread(request, pk, perm):
    thread = selectors.thread_detail(pk=pk, user=request.user)
    if thread.page_url or thread.is_deleted or not request.user.has_perm(perm, thread):
        raise Http404
    return thread


@login_required
def thread_edit(request, pk):
    thread = _own_thread(request, pk, "forums.change_thread")
    form = ThreadEditForm(request.POST or None, initial={"title": thread.title, "body": thread.body})
    if request.method == "POST" and form.is_valid():
        try:
            thread = edit_thread(
                actor=request.user,
                thread=thread,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                personal_confirmed=form.cleaned_data.get("personal_confirmed", False),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "Your discussion has been updated.")
            _screening_messages(request, thread)
            return redirect(thread)
    context = {"thread": thread, "board": thread.board, "programme": thread.board.programme, "form": form}
    return render(request, "forums/thread_edit.html", context, status=400 if form.errors else 200)


@login_required
def thread_delete(request, pk):
    thread = _own_thread(request, pk, "forums.delete_thread")
    if request.method == "POST":
        board = thread.board
        kept = delete_thread(actor=request.user, thread=thread)
        messages.success(request, "Your discussion has been deleted.")
        return redirect(kept or board)
    return render(
        request, "forums/thread_delete.html", {"thread": thread, "board": thread.board, "programme": thread.board.programme}
    )


@login_required
def thread_history(request, pk):
    thread = selectors.thread_detail(pk=pk, user=request.user)
    permitted_or_404(request.user, "forums.view_revisions", thread)
    revisions = selectors.thread_revisions(thread=thread)
    return render(
        request,
        "forums/thread_history.html",
        {"thread": thread, "board": thread.board, "programme": thread.board.programme, "revisions": revisions},
    )
