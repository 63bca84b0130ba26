from datetime import date

import pytest

from programmes.contributions import services
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
