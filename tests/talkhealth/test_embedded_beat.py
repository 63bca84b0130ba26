"""Embedded, `make run` starts Celery beat beside the site (Procfile.dev): the production schedule,
each task run inside beat's own process because tasks are eager with no broker configured."""

from datetime import timedelta
from pathlib import Path

import pytest
from celery.beat import Scheduler
from django.conf import settings
from django.utils import timezone

from programmes.updates.models import Update, UpdateStatus
from programmes.updates import services as update_services
from talkhealth.celery import app
from tests.factories import StaffFactory
from tests.programmes.staff.factories import draft_update

from .conftest import procfile

pytestmark = pytest.mark.django_db


def test_make_run_starts_the_same_beat_as_production_beside_the_site():
    development, production = procfile("Procfile.dev"), procfile("Procfile")

    assert development["beat"] == production["beat"]
    assert development["web"].startswith("python manage.py runserver")
    assert "honcho -f Procfile.dev start" in (Path(settings.BASE_DIR) / "Makefile").read_text()


def test_beat_publishes_a_due_update_in_its_own_process_when_embedded(django_capture_on_commit_callbacks):
    assert app.conf.task_always_eager, "embedded (no REDIS_URL), beat runs what it sends itself"
    staff = StaffFactory()
    update = draft_update(staff)
    update_services.update_schedule(actor=staff, update=update, publish_at=timezone.now() + timedelta(seconds=1))
    Update.objects.filter(pk=update.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    app.loader.import_default_modules()  # as `celery beat` does when it starts
    scheduler = Scheduler(app, lazy=True)
    scheduler.setup_schedule()
    scheduler.update_from_dict(app.conf.beat_schedule)

    with django_capture_on_commit_callbacks(execute=True):
        scheduler.apply_entry(scheduler.schedule["programmes-publish-scheduled-updates"])

    update.refresh_from_db()
    assert update.status == UpdateStatus.PUBLISHED
    assert set(scheduler.schedule) >= set(settings.CELERY_BEAT_SCHEDULE)
