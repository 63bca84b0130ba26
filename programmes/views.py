from django.shortcuts import render

from forums import selectors as forum_selectors
from talkhealth import pagecache

from . import selectors


@pagecache.anonymous_page
def home(request):
    return render(request, "programmes/home.html", {"programmes": list(selectors.programme_list())})


@pagecache.anonymous_page
def programme_index(request):
    return render(request, "programmes/index.html", {"programmes": list(selectors.programme_list())})


@pagecache.anonymous_page
def programme_hub(request, slug):
    programme = selectors.programme_for_hub(slug=slug)
    return render(
        request,
        "programmes/hub.html",
        {
            "programme": programme,
            "boards": forum_selectors.boards_for_programme(programme=programme),
            "latest_threads": forum_selectors.latest_threads_for_programme(programme=programme, user=request.user),
        },
    )
