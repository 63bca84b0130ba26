"""Whole pages for anonymous readers: answered before the middleware a shared page does not need,
and made stale only by the writes that change them.

A view opts in with `@anonymous_page(params=..., tags=...)`:
- `params` are the query parameters its page depends on. Any other (`?utm_source=`, made-up ones)
  is dropped before the view sees it, so it neither changes the page nor makes a new entry.
- `tags` name what the page shows, formatted with the URL's arguments ("thread:{pk}"; "{path}" is
  the request path). Every page also carries the tag "site".
- A tag written "~activity:..." is an activity tag: the page may show its writes up to
  PAGE_CACHE_ACTIVITY_SECONDS late. Listing pages (a board, a hub, search) carry one beside their
  own tags, and new posts and likes make only it stale (`activity_on_commit`), so under a stream of
  posts a listing is rendered at most once per that many seconds, not once per post. Every other
  change (an edit, a takedown, a rename) still makes the listing's own tags stale, at once.

Each tag has a version in the cache. A page is stored with the versions read before it was
rendered and served only while every one is still current, so a hit costs one get_many (the page
and its tags' versions together) and a write that commits replaces just its tags' versions
(`invalidate_on_commit("thread:7", ...)`): a page rendered from data older than a write can never
be served after it. Only GET requests with no session cookie, no message cookie and no htmx header
are served from it: such a visitor sees exactly what every other visitor sees, with no messages, no
form tokens and no personal state. PAGE_CACHE_SECONDS bounds how stale anything not tagged (an
admin edit, say) can get.
"""

import functools
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve

SITE_TAG = "site"
PAGE_PREFIX = "pagecache:page:"
VERSION_PREFIX = "pagecache:v:"
ACTIVITY = "~"  # marks an activity tag: "~activity:cancer"


@dataclass(frozen=True)
class Policy:
    params: tuple[str, ...]
    tags: tuple[str, ...]

    def query(self, get: QueryDict) -> str:
        """The known parameters, in a fixed order: the part of the query string that is in the key."""
        known = QueryDict(mutable=True)
        for name in self.params:
            if name in get:
                known.setlist(name, get.getlist(name))
        return known.urlencode()

    def tag_keys(self, kwargs: dict, path: str) -> list[str]:
        """The version keys of the page's tags; a tag naming an argument this URL lacks is not its."""
        keys = []
        for tag in (*self.tags, SITE_TAG):
            try:
                keys.append(VERSION_PREFIX + tag.format(path=path, **kwargs))
            except KeyError:
                continue
        return keys


def _fresh(keys: list[str], stored: list, current: list, rendered_at: float) -> bool:
    """Whether a page rendered with `stored` versions of its tags may be served now: every tag
    unchanged, or only activity tags changed and the page is younger than PAGE_CACHE_ACTIVITY_SECONDS."""
    if stored == current:
        return True
    if time.time() - rendered_at >= settings.PAGE_CACHE_ACTIVITY_SECONDS:
        return False
    activity = VERSION_PREFIX + ACTIVITY
    return all(old == new or key.startswith(activity) for key, old, new in zip(keys, stored, current, strict=True))


def anonymous_page(view=None, *, params=(), tags=()):
    """Mark a view's page as shared by every anonymous reader (PageCacheMiddleware serves it)."""
    if view is not None:
        raise TypeError("anonymous_page needs the page's query parameters and tags: @anonymous_page(params=..., tags=...)")
    policy = Policy(params=tuple(params), tags=tuple(tags))

    def mark(view):
        view.pagecache_policy = policy
        return view

    return mark


def invalidate(*tags: str) -> None:
    """Make every cached page carrying one of `tags` stale. Call after the write has committed."""
    if not tags:
        raise TypeError("invalidate needs the tags of what the write changed")
    cache.set_many({VERSION_PREFIX + tag: uuid.uuid4().hex for tag in set(tags)}, timeout=None)


def invalidate_on_commit(*tags: str) -> None:
    if not tags:
        raise TypeError("invalidate_on_commit needs the tags of what the write changed")
    transaction.on_commit(functools.partial(invalidate, *tags))


def activity_on_commit(*tags: str) -> None:
    """After commit, make stale the activity tags of pages that may show new posts up to
    PAGE_CACHE_ACTIVITY_SECONDS late: "activity:cancer" here is "~activity:cancer" on the page."""
    if not tags:
        raise TypeError("activity_on_commit needs the tags of what the write changed")
    invalidate_on_commit(*(ACTIVITY + tag for tag in tags))


def invalidate_all() -> None:
    """Every page stale at once: for bulk loads (seed_volume), not for what people write."""
    invalidate(SITE_TAG)


def _page_for(urlconf: str, path: str):
    """(policy, URL arguments) of a cached view's path, else None; short paths remembered per process."""
    return _page_remembered(urlconf, path) if len(path) <= 200 else _page_resolved(urlconf, path)


def _page_resolved(urlconf: str, path: str):
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    policy = getattr(match.func, "pagecache_policy", None)
    return None if policy is None else (policy, match.kwargs)


_page_remembered = functools.lru_cache(maxsize=4096)(_page_resolved)


def _versions_ensure(tag_keys: list[str], versions: list) -> list | None:
    """Give tags never written (or evicted) a fresh version before rendering; None if the cache is down."""
    for key, version in zip(tag_keys, versions):
        if version is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
    found = cache.get_many(tag_keys)
    versions = [found.get(key) for key in tag_keys]
    return None if None in versions else versions


def purge() -> None:
    """Delete every cached page now, not just make it stale: for words that must be gone at once,
    such as those whose consent was withdrawn. Pages are keyed PAGE_PREFIX + path."""
    invalidate_all()
    backend = caches["default"]
    if hasattr(backend, "delete_pattern"):  # django-redis
        backend.delete_pattern(PAGE_PREFIX + "*")
    elif isinstance(backend, LocMemCache):
        with backend._lock:
            for key in [k for k in backend._cache if f":{PAGE_PREFIX}" in k]:
                backend._delete(key)


def purge_on_commit() -> None:
    transaction.on_commit(purge)


def _storable(response) -> bool:
    return response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False)


class PageCacheMiddleware:
    """Serve and store anonymous pages. It sits just after SecurityMiddleware and WhiteNoise, so a hit
    skips sessions, authentication, messages, CSRF and the rest; their response headers are stored
    with the page and replayed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or request.method != "GET"
            or request.COOKIES.get(settings.SESSION_COOKIE_NAME)  # (a cookie deleted by the last answer is empty)
            or request.COOKIES.get(CookieStorage.cookie_name)  # a message waiting to be shown
            or "HTTP_HX_REQUEST" in request.META
        ):
            return self.get_response(request)
        page = _page_for(settings.ROOT_URLCONF, request.path_info)
        if page is None:
            return self.get_response(request)
        policy, kwargs = page
        query = policy.query(request.GET)
        key = f"{PAGE_PREFIX}{request.path}?{query}"
        tag_keys = policy.tag_keys(kwargs, request.path)
        found = cache.get_many([key, *tag_keys])
        versions = [found.get(tag_key) for tag_key in tag_keys]
        entry = found.get(key)
        # An entry is (versions, rendered_at, status, headers, content); one of another shape, stored
        # by an earlier release, is a miss and is replaced.
        if entry is not None and len(entry) == 5 and None not in versions and _fresh(tag_keys, entry[0], versions, entry[1]):
            request.get_host()  # the ALLOWED_HOSTS check CommonMiddleware would have made
            _, _, status, headers, content = entry
            return HttpResponse(content, status=status, headers=headers)

        if None in versions:
            versions = _versions_ensure(tag_keys, versions)
        rendered_at = time.time()
        if query != request.META.get("QUERY_STRING", ""):
            request.GET = QueryDict(query)
            request.META["QUERY_STRING"] = query
        response = self.get_response(request)
        if versions is not None and _storable(response):
            entry = (versions, rendered_at, response.status_code, list(response.items()), response.content)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return response
