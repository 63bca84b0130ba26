"""The Celery app. Its configuration is Django's settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")

app = Celery("talkhealth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
