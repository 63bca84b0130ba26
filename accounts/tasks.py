from celery import shared_task

from . import emails


@shared_task(
    name="accounts.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
    acks_late=True,
)
def send_email(payload: dict) -> None:
    emails.build(payload).send()
