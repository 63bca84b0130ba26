"""Public pages for programme updates: lists, and each update with its discussion."""

from django.core.paginator import Paginator
from django.shortcuts import render

from forums import selectors as forum_selectors
from forums.forms import CommentForm
from talkhealth import pagecache

from .. import selectors as programme_selectors
from ..polls import selectors as poll_selectors
from ..themes.public import themes_behind
from . import selectors

UPDATES_PER_PAGE = 20


def discussion_context(request, thread, *, form=None) -> dict:
    """What the forums comment partials need to show an update's discussion and its reply form."""
    if thread is None:
        return {"thread": None, "listing": None}
    context = forum_selectors.discussion(
        thread, request.user, page=request.GET.get("page", 1), sort=request.GET.get("sort", "oldest")
    )
    return {**context, "form": form or CommentForm(), "reply_to": None}


@pagecache.anonymous_page(params=("page", "sort"), tags=("programme:{slug}", "url:{path}"))
def update_detail(request, slug, pk):
    update = selectors.update_for_page(slug=slug, pk=pk, user=request.user)
    context = {"update": update, "programme": update.programme, **discussion_context(request, update.thread)}
    if request.htmx and request.GET.get("fragment") == "comments" and update.thread:
        return render(request, "forums/_comment_more.html", context)
    context["polls"] = poll_selectors.polls_for_display(update=update, user=request.user)
    context["themes"] = themes_behind(updates=[update.pk]).get(("update", update.pk), [])
    return render(request, "programmes/updates/detail.html", context)


@pagecache.anonymous_page(params=("page",), tags=("programme:{slug}",))
def programme_updates(request, slug):
    programme = programme_selectors.programme_for_hub(slug=slug)
    page = Paginator(selectors.published_updates(programme=programme), UPDATES_PER_PAGE).get_page(
        request.GET.get("page", 1)
    )
    return render(request, "programmes/updates/list.html", {"programme": programme, "page": page})


@pagecache.anonymous_page(params=("page",), tags=("updates",))
def all_updates(request):
    page = Paginator(selectors.published_updates(), UPDATES_PER_PAGE).get_page(request.GET.get("page", 1))
    return render(request, "programmes/updates/list.html", {"programme": None, "page": page})
