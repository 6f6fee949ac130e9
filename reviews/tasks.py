"""Thin Celery wrappers around reviews.dsr and reviews.sales."""

from celery import shared_task

from reviews import dsr, sales


@shared_task(name="reviews.recompute_store_dsr")
def recompute_store_dsr(store_id: int) -> int:
    return dsr.recompute([store_id])


@shared_task(name="reviews.recompute_all_dsr")
def recompute_all_dsr() -> int:
    return dsr.recompute()


@shared_task(name="reviews.recompute_sales")
def recompute_sales(product_ids: list[int] | None = None) -> int:
    return sales.recompute(product_ids)
