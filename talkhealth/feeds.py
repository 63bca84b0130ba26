"""The base of every feed: what a feed says is cleaned of control characters on the way out, so
one stored before input was cleaned cannot make a feed unreadable (XML refuses them)."""

from django.contrib.syndication.views import Feed

from .forms import clean_text


def _clean(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class CleanFeed(Feed):
    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed = {key: _clean(value) for key, value in feed.feed.items()}
        feed.items = [{key: _clean(value) for key, value in item.items()} for item in feed.items]
        return feed
