from datetime import date, timedelta

import pytest
from django.utils import timezone

from programmes.contributions import services
from programmes.events.models import Event
from programmes.models import Programme


@pytest.fixture
def primary_care(db):
    return Programme.objects.get(slug="primary-care")


def make_session(actor, *programmes, **fields):
    values = {
        "kind": "roadshow",
        "title": "Brent roadshow",
        "date": date(2026, 5, 12),
        "borough": "brent",
        "venue": "Brent Civic Centre",
        "facilitators": "Kemi, Sam",
        "attendance": 40,
        "bsl": True,
    }
    values.update(fields)
    return services.session_save(actor=actor, programmes=list(programmes), **values)


def record(actor, session, text="More evening GP appointments please.", **fields):
    values = {"programme": session.programmes.first(), "channel": "postcard", "consent": "publish", "text": text}
    values.update(fields)
    return services.contribution_record(actor=actor, session=session, **values)


@pytest.fixture
def roadshow(staff, cancer, primary_care):
    return make_session(staff, cancer, primary_care)


def past_event(staff, programme, title: str, **fields):
    """A listed event that ended yesterday, ready to become a session."""
    now = timezone.now()
    values = {"description": "x", "description_html": "x", "venue": "Library", "created_by": staff}
    values.update(fields)
    return Event.objects.create(
        programme=programme,
        title=title,
        starts_at=now - timedelta(days=1, hours=3),
        ends_at=now - timedelta(days=1),
        **values,
    )
