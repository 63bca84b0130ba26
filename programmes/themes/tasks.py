"""Theme jobs, on their own "analysis" queue (see CELERY_TASK_ROUTES) so long runs never hold up
email or publishing, and scale out on worker hosts of their own."""

from celery import shared_task
from django.conf import settings


@shared_task(
    name="themes.run",
    acks_late=True,
    soft_time_limit=settings.THEMES_SOFT_TIME_LIMIT,
    time_limit=settings.THEMES_SOFT_TIME_LIMIT + 60,
)
def theme_run(run_id: int) -> None:
    from .discovery import run_execute

    run_execute(run_id=run_id)
