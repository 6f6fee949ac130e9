"""Thin Celery wrappers around orders.services (scheduled by beat, see orders.hooks.BEAT_SCHEDULE)."""

from celery import shared_task

from orders import services


@shared_task(name="orders.cancel_expired_orders")
def cancel_expired_orders() -> int:
    return services.cancel_expired_orders()


@shared_task(name="orders.auto_receive_shipped")
def auto_receive_shipped() -> int:
    return services.auto_receive_shipped()
