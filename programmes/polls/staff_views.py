from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from ..staff import staff_only
from . import selectors, services
from .forms import PollForm
from .models import Poll


@staff_only("programmes.change_poll")
def poll_list(request):
    return render(request, "programmes/staff/poll_list.html", {"polls": selectors.polls_for_staff()})


def _poll_form(request, poll: Poll | None):
    form = PollForm(request.POST or None, poll=poll)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.poll_save(
                actor=request.user,
                poll=poll,
                programme=data["programme"],
                update=data["update"],
                question=data["question"],
                description=data["description"],
                kind=data["kind"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                choices=data["choices"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The poll has been saved.")
            return redirect("staff:poll_edit", pk=saved.pk)
    context = {"form": form, "poll": poll}
    if poll is not None:
        pv = selectors.poll_view(poll=poll, user=request.user)
        context.update(pv=pv, boroughs=selectors.results_by_borough(poll=poll, choices=pv.choices))
    return render(request, "programmes/staff/poll_form.html", context, status=400 if form.errors else 200)


@staff_only("programmes.change_poll")
def poll_create(request):
    return _poll_form(request, None)


@staff_only("programmes.change_poll")
def poll_edit(request, pk):
    return _poll_form(
        request, get_object_or_404(Poll.objects.select_related("programme").prefetch_related("choices"), pk=pk)
    )
