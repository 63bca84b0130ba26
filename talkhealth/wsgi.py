import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")
application = get_wsgi_application()


def _reverse_ready(resolver) -> None:
    """Build the URL resolver's reverse lookups, and those of every namespace under it, which every
    page needs to make its links: built once here rather than during each worker's first page."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, included in resolver.namespace_dict.values():
        _reverse_ready(included)


def _load_before_fork() -> None:
    """Import every view (through the URLconf) and load what every request needs now rather than on
    a worker's first request. Under gunicorn's --preload (the Procfile) the master does it once and
    the workers it forks share the pages instead of each building its own copy, and a worker that
    --max-requests replaces starts ready. Nothing here may keep a connection: workers would share
    its socket, so the database and cache connections are closed before any fork."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.cache import caches, close_caches
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver
    from kombu.transport import resolve_transport

    from talkhealth.outbox import tasks_load

    _reverse_ready(get_resolver())
    # What every worker's first requests would otherwise load for itself: the template engines, the
    # static files manifest, the cache's client library (redis-py), the broker transport replies
    # are queued through and the Celery tasks a write hands work to.
    engines.all()
    staticfiles_storage.url  # noqa: B018 (reading the manifest is the point)
    caches["default"]  # noqa: B018
    resolve_transport(settings.CELERY_BROKER_URL.partition(":")[0])
    tasks_load()
    connections.close_all()
    close_caches()


_load_before_fork()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: moved
# out of the collector's sight, a full collection scans only what requests create and takes a few
# milliseconds instead of tens (the pause lands on whichever request triggers it), and a forked
# worker's collections do not write to (and so copy) the pages it shares with the master.
gc.freeze()
