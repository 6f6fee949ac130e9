"""Thin Celery wrappers (beat schedule in logistics.apps)."""

from celery import shared_task

from logistics.services import late, tracking


@shared_task(name="logistics.detect_late_shipments", acks_late=True, ignore_result=True)
def detect_late_shipments() -> int:
    return late.detect_late_shipments()


@shared_task(name="logistics.sandbox_carrier_tick", acks_late=True, ignore_result=True)
def sandbox_carrier_tick() -> int:
    return tracking.sandbox_tick()
