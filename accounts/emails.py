"""Queue an already-rendered email for delivery through the outbox once the transaction commits."""

from django.core.mail import EmailMessage, EmailMultiAlternatives

from talkhealth import outbox


def queue(message: EmailMessage) -> None:
    """An outbox job for the `accounts.send_email` task, in the caller's transaction.

    Account emails (confirmation, password reset) carry one-time links made in the request, so the
    rendered message travels rather than ids; nothing else about the person goes with it. When the
    broker cannot be reached the job waits for the sweep, so it is never lost; once sent, the row
    forgets the message.
    """
    payload = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }
    outbox.job_enqueue("accounts.send_email", payload)


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
