"""A whole-page cache for anonymous readers, emptied by every write to discussions.

Only GET requests with no session cookie are served from it: such a visitor sees exactly what
every other visitor sees, with no messages, no form tokens and no personal state. Every write
bumps a generation number after commit, so the next read renders afresh; PAGE_CACHE_SECONDS
bounds how stale anything else (an admin edit, say) can get.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse

GENERATION_KEY = "pagecache:generation"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def invalidate() -> None:
    """Make every cached page stale. Call after a write has committed."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 2, timeout=None)


def invalidate_on_commit() -> None:
    transaction.on_commit(invalidate)


def purge() -> None:
    """Delete every cached page now, not just make it stale: for words that must be gone at once,
    such as those whose consent was withdrawn. Pages are keyed "pagecache:<generation>:<path>"."""
    invalidate()
    backend = caches["default"]
    if hasattr(backend, "delete_pattern"):  # django-redis
        backend.delete_pattern("pagecache:*:*")
    elif isinstance(backend, LocMemCache):
        with backend._lock:
            for key in [k for k in backend._cache if ":pagecache:" in k and not k.endswith(GENERATION_KEY)]:
                backend._delete(key)


def purge_on_commit() -> None:
    transaction.on_commit(purge)


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def anonymous_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"pagecache:{_generation()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            status, content_type, content = hit
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(response, "streaming", False)
        ):
            cache.set(key, (response.status_code, response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
