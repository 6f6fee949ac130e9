"""Thin Celery wrappers around messaging.services.notifications."""

from celery import shared_task

from messaging.services import notifications

BEAT_SCHEDULE = {
    "messaging-sweep": {"task": "messaging.sweep", "schedule": 60.0},
}


@shared_task(name="messaging.deliver_event", acks_late=True)
def deliver_event(source: str, object_id: int, state: str) -> int:
    return notifications.handle_event(source, object_id, state)


@shared_task(name="messaging.sweep")
def sweep() -> int:
    return notifications.sweep()
