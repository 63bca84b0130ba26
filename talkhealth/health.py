"""Liveness checks for /healthz: is the database answering, and the broker when there is one."""

from django.conf import settings
from django.db import connection

from .celery import app as celery_app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def broker_ok() -> bool | None:
    """None when no broker is configured (Celery runs in-process)."""
    if not settings.REDIS_URL:
        return None
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False
