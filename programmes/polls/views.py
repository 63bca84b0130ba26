"""Poll pages: vote, and see the results once you have voted or the poll has closed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from talkhealth import pagecache
from talkhealth.forms import parse_id

from . import selectors, services


def _context(request, poll, pv, error=None):
    context = {"poll": poll, "programme": poll.programme, "pv": pv, "vote_error": error}
    if request.user.has_perm("programmes.view_poll_boroughs"):
        context["boroughs"] = selectors.results_by_borough(poll=poll, choices=pv.choices)
    return context


@pagecache.anonymous_page(tags=("programme:{slug}",))
def poll_detail(request, slug, pk):
    poll = selectors.poll_for_page(slug=slug, pk=pk, user=request.user)
    pv = selectors.poll_view(poll=poll, user=request.user)
    return render(request, "programmes/polls/detail.html", _context(request, poll, pv))


@login_required
@require_POST
def poll_vote(request, slug, pk):
    poll = selectors.poll_for_page(slug=slug, pk=pk, user=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = poll.get_absolute_url()
    try:
        choices = [parse_id(pk) for pk in request.POST.getlist("choice")]
        services.poll_vote(actor=request.user, poll=poll, choice_ids=choices)
    except (ValueError, ValidationError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else "Choose from the answers given."
        pv = selectors.poll_view(poll=poll, user=request.user)
        if request.htmx:
            return render(request, "programmes/polls/_poll.html", {"pv": pv, "vote_error": message, "next": back})
        return render(request, "programmes/polls/detail.html", _context(request, poll, pv, message), status=400)
    if request.htmx:
        pv = selectors.poll_view(poll=poll, user=request.user)
        return render(request, "programmes/polls/_poll.html", {"pv": pv, "just_voted": True, "next": back})
    messages.success(request, "Thank you: your vote has been counted.")
    return redirect(f"{back}#poll-{poll.pk}")
