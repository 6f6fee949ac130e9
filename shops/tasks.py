"""Celery tasks of the shops app: thin wrappers around shops.importer and shops.services."""

from celery import shared_task


@shared_task(acks_late=True)
def import_products(job_id: int) -> str:
    from shops import importer

    return importer.run(job_id).status


@shared_task(acks_late=True)
def index_product(product_id: int) -> bool:
    """The search tokens of a product saved in the workbench or the API (after its commit; idempotent)."""
    from shops import services

    return services.index_product(product_id)
