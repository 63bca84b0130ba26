from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forums import selectors as forum_selectors
from talkhealth import pagecache

from . import selectors, services
from .events import selectors as event_selectors
from .polls import selectors as poll_selectors
from .updates import selectors as update_selectors


@pagecache.anonymous_page(tags=("home",))
def home(request):
    return render(
        request,
        "programmes/home.html",
        {
            "programmes": list(selectors.programme_list()),
            "updates": update_selectors.latest_updates(limit=5),
            "events": list(event_selectors.upcoming_events()[:3]),
        },
    )


@pagecache.anonymous_page(tags=("home",))
def programme_index(request):
    return render(request, "programmes/index.html", {"programmes": list(selectors.programme_list())})


@pagecache.anonymous_page(tags=("hub:{slug}", "~activity:{slug}"))
def programme_hub(request, slug):
    programme = selectors.programme_for_hub(slug=slug)
    return render(
        request,
        "programmes/hub.html",
        {
            "programme": programme,
            "boards": forum_selectors.boards_for_programme(programme=programme),
            "latest_threads": forum_selectors.latest_threads_for_programme(programme=programme, user=request.user),
            "following": selectors.programme_following(programme=programme, user=request.user),
            "updates": update_selectors.latest_updates(programme=programme, limit=5),
            "events": list(event_selectors.upcoming_events(programme=programme)[:3]),
            "polls": poll_selectors.open_polls(programme=programme),
        },
    )


@login_required
@require_POST
def programme_follow(request, slug):
    programme = selectors.programme_for_hub(slug=slug)
    following = services.programme_follow_set(
        actor=request.user, programme=programme, follow=request.POST.get("follow") == "1"
    )
    if request.htmx:
        return render(request, "programmes/_follow_button.html", {"programme": programme, "following": following, "refocus": True})
    messages.success(
        request,
        f"You are following {programme.short_name}." if following else f"You have unfollowed {programme.short_name}.",
    )
    return redirect(programme)
