"""Links built without a reverse() each: list pages link hundreds of comments, threads and people."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.cache
def url_prefix(name: str, argument: str = "pk") -> str:
    """The URL named `name` up to its last argument ("/comments/"), from one reverse() per process."""
    return reverse(name, kwargs={argument: "0"})[: -len("0/")]


@functools.lru_cache(maxsize=8192)
def _reverse_remembered(name, args, kwargs, current_app, urlconf, prefix):
    return reverse(name, args=args, kwargs=dict(kwargs), current_app=current_app)


def reverse_cached(name: str, args=(), kwargs=None, current_app=None) -> str:
    """reverse(), remembered per process: the same name and arguments always give the same URL
    (for one URLconf and script prefix, both in the key), and a page reverses a few dozen."""
    try:
        return _reverse_remembered(
            name, tuple(args), tuple(sorted((kwargs or {}).items())), current_app,
            get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(),
        )
    except TypeError:  # an unhashable argument
        return reverse(name, args=args, kwargs=kwargs, current_app=current_app)
