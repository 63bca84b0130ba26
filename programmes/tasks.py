"""Celery tasks for programmes: load by id, call a service, nothing else."""

from celery import shared_task

from .reports import exports
from .updates import services as update_services


@shared_task(name="programmes.updates_publish_due", acks_late=True)
def updates_publish_due() -> int:
    """Run by Celery beat every minute: publishes scheduled updates whose time has come."""
    return update_services.updates_publish_due()


@shared_task(name="programmes.discussion_export_run", acks_late=True)
def discussion_export_run(export_id: int) -> None:
    exports.export_run(export_id=export_id)


@shared_task(name="programmes.discussion_exports_purge", acks_late=True)
def discussion_exports_purge() -> None:
    exports.exports_purge()


@shared_task(name="programmes.contribution_import_run", acks_late=True)
def contribution_import_run(import_id: int) -> None:
    from .contributions import jobs

    jobs.import_run(import_id=import_id)
