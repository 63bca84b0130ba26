"""Queue an already-rendered email for delivery by Celery once the transaction commits."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction


def queue(message: EmailMessage) -> None:
    """Hand the message to the `accounts.send_email` task after commit.

    Account emails (confirmation, password reset) carry one-time links made in the request, so the
    rendered message travels rather than ids; nothing else about the person goes with it.
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
    transaction.on_commit(lambda: send_email.delay(payload))


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
