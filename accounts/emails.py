"""Queue an already-rendered email for delivery by Celery once the transaction commits."""

import logging

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

logger = logging.getLogger(__name__)


def queue(message: EmailMessage) -> None:
    """Hand the message to the `accounts.send_email` task after commit.

    Account emails (confirmation, password reset) carry one-time links made in the request, so the
    rendered message travels rather than ids; nothing else about the person goes with it. When the
    broker cannot be reached the message is sent in the request instead, so it is never lost.
    """
    from .tasks import send_email

    payload = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }
    def hand_over():
        try:
            send_email.delay(payload)
        except Exception:
            logger.exception("Could not queue an account email; sending it now instead.")
            build(payload).send()

    transaction.on_commit(hand_over)


def build(payload: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload.get("headers") or {},
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message
