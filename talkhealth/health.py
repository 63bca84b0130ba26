"""Liveness checks for /healthz: is the database answering, and the broker when there is one."""

from django.conf import settings
from django.db import connection

from .celery import app as celery_app

BROKER_TIMEOUT = 1.5
"""Seconds allowed for each of connecting to the broker and hearing its reply.

A probe that hangs is worse than one that fails: a silent Redis (firewalled, or a port that accepts
and never answers) must turn into a 503 within a few seconds, so there are no retries either.
"""


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def broker_ok() -> bool | None:
    """One bounded connect-and-ping to the broker the web process publishes to.

    None when no broker is configured (Celery runs in-process).
    """
    if not settings.REDIS_URL:
        return None
    timeouts = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
    try:
        with celery_app.connection_for_write(transport_options=timeouts) as conn:
            conn.ensure_connection(max_retries=0)
        return True
    except Exception:
        return False
