"""Thin Celery wrappers around orders.services (scheduled by beat, see orders.apps.BEAT_SCHEDULE)."""

from celery import shared_task

from orders import flash_orders, services


@shared_task(name="orders.cancel_expired_orders")
def cancel_expired_orders() -> int:
    return services.cancel_expired_orders()


@shared_task(name="orders.auto_receive_shipped")
def auto_receive_shipped() -> int:
    return services.auto_receive_shipped()


@shared_task(name="orders.write_flash_orders", acks_late=True)
def write_flash_orders(sku_id: int) -> int:
    return flash_orders.write_queued(sku_id)


@shared_task(name="orders.sweep_flash_tickets")
def sweep_flash_tickets() -> int:
    return flash_orders.sweep()
