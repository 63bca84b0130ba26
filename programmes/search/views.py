from django.shortcuts import render

from forums import selectors as forum_selectors
from talkhealth import pagecache

from . import selectors
from .forms import SearchForm

FILTERS = ("type", "programme", "tag", "date")


@pagecache.anonymous_page(params=("q", *FILTERS, "page"), tags=("search", "~activity"))
def search(request):
    """The results page. The filters and pagination are plain GET links, so it works without JavaScript."""
    form = SearchForm(request.GET or None, programmes=forum_selectors.programmes_for_filter())
    results = None
    if form.is_bound and form.is_valid() and form.terms:
        results = selectors.site_search(
            user=request.user,
            terms=form.terms,
            filters=form.filters,
            kind=form.cleaned_data["type"],
            page=request.GET.get("page", 1),
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programmes/search.html",
        {
            "form": form,
            "results": results,
            "filtering": bool(form.errors) or any(request.GET.get(name) for name in FILTERS),
            "query_prefix": f"{query.urlencode()}&" if query else "",
        },
    )
