import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")
application = get_wsgi_application()


def _load_before_fork() -> None:
    """Import every view (through the URLconf) and the libraries every request needs now rather than
    on a worker's first request. Under gunicorn's --preload (the Procfile) the master does it once
    and the workers it forks share the pages instead of each importing its own copy. Nothing here may keep a connection: workers would
    share its socket, so the database and cache connections are closed before any fork."""
    from django.conf import settings
    from django.core.cache import caches, close_caches
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver
    from kombu.transport import resolve_transport

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    # What every worker's first requests would otherwise import for itself: the template engines,
    # the cache's client library (redis-py) and the broker transport replies are queued through.
    engines.all()
    caches["default"]  # noqa: B018
    resolve_transport(settings.CELERY_BROKER_URL.partition(":")[0])
    connections.close_all()
    close_caches()


_load_before_fork()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: moved
# out of the collector's sight, a full collection scans only what requests create and takes a few
# milliseconds instead of tens (the pause lands on whichever request triggers it), and a forked
# worker's collections do not write to (and so copy) the pages it shares with the master.
gc.freeze()
