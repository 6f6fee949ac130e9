"""Celery tasks of the shops app: thin wrappers around shops.importer."""

from celery import shared_task


@shared_task(acks_late=True)
def import_products(job_id: int) -> str:
    from shops import importer

    return importer.run(job_id).status
