"""Celery tasks for programmes: load by id, call a service, nothing else. Each imports its service
inside the function, so services never import tasks and no import runs in a circle."""

from celery import shared_task


@shared_task(name="programmes.updates_publish_due", acks_late=True)
def updates_publish_due() -> int:
    """Run by Celery beat every minute: publishes scheduled updates whose time has come."""
    from .updates import services

    return services.updates_publish_due()


@shared_task(name="programmes.discussion_export_run", acks_late=True)
def discussion_export_run(export_id: int) -> None:
    """Run through the outbox (talkhealth.outbox), which queued it when the export was asked for."""
    from .reports import exports

    exports.export_run(export_id=export_id)


@shared_task(name="programmes.discussion_exports_purge", acks_late=True)
def discussion_exports_purge() -> None:
    from .reports import exports

    exports.exports_purge()


@shared_task(name="programmes.evidence_pack_build", acks_late=True)
def evidence_pack_build_task(pack_id: int) -> None:
    from .evidence.services import evidence_pack_build

    evidence_pack_build(pack_id=pack_id)


@shared_task(name="programmes.contribution_import_run", acks_late=True)
def contribution_import_run(import_id: int) -> None:
    from .contributions import jobs

    jobs.import_run(import_id=import_id)


from .themes.tasks import theme_run  # noqa: E402,F401  (registered for the "analysis" queue's workers)
