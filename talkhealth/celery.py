"""The Celery app. Its configuration is Django's settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")

app = Celery("talkhealth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def connections_tidy(sender=None, **kwargs) -> None:
    """Around each task in a worker, what Django does around each request: close a database
    connection that is broken, in a transaction left open, or older than CONN_MAX_AGE, and keep the
    rest (see CELERY_DB_REUSE_MAX). An eager task runs inside a request, whose connection is the
    request's to manage."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
