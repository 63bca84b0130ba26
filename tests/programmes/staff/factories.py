"""Updates, polls and events made through the services, as staff would make them."""

from datetime import timedelta

from django.utils import timezone

from programmes.events import services as event_services
from programmes.models import Programme
from programmes.polls import services as poll_services
from programmes.updates import services as update_services

BODY = (
    "## What is changing\n\nFrom **June**, more GP practices will offer evening appointments.\n\n"
    "- Ask at reception\n- Or book online"
)


def draft_update(
    author,
    programme="cancer",
    *,
    title="Evening appointments",
    summary="More practices open late.",
    body=BODY,
    tags="",
):
    if isinstance(programme, str):
        programme = Programme.objects.get(slug=programme)
    return update_services.update_save(
        actor=author, programme=programme, title=title, summary=summary, body=body, tags=tags
    )


def published_update(author, programme="cancer", **fields):
    return update_services.update_publish(actor=author, update=draft_update(author, programme, **fields))


def open_poll(author, programme="cancer", *, kind="single", choices=("Yes", "No", "Not sure"), update=None, **fields):
    if isinstance(programme, str):
        programme = Programme.objects.get(slug=programme)
    now = timezone.now()
    return poll_services.poll_save(
        actor=author,
        programme=programme,
        question=fields.pop("question", "Should practices open at weekends?"),
        kind=kind,
        opens_at=fields.pop("opens_at", now - timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + timedelta(days=7)),
        choices=list(choices),
        update=update,
        **fields,
    )


def upcoming_event(author, programme="cancer", **fields):
    if isinstance(programme, str):
        programme = Programme.objects.get(slug=programme)
    start = fields.pop("starts_at", timezone.now() + timedelta(days=3))
    values = {
        "title": "Cancer screening roadshow",
        "description": "Come and talk to the team about **screening**.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "Croydon Library, Katharine Street, CR9 1ET",
        "borough": "croydon",
        "accessibility": "Step-free access; hearing loop at the front desk.",
    }
    values.update(fields)
    return event_services.event_save(actor=author, programme=programme, **values)
