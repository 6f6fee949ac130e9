"""Thin Celery wrappers. The sandbox gateway's notification delivery retries with exponential back-off."""

from celery import shared_task

from payments.models import CallbackDelivery

MAX_ATTEMPTS = 12


def backoff(retries: int) -> int:
    return min(2 ** (retries + 1), 600)


@shared_task(name="payments.deliver_callback", bind=True, max_retries=MAX_ATTEMPTS, acks_late=True)
def deliver_callback(self, delivery_id: int) -> str:
    from payments.gateway import get_gateway

    delivery = CallbackDelivery.objects.select_related("payment").filter(pk=delivery_id).first()
    if delivery is None or delivery.acknowledged_at:
        return "nothing to do"
    if get_gateway(delivery.payment.gateway).deliver(delivery):
        return "acknowledged"
    raise self.retry(countdown=backoff(self.request.retries))


@shared_task(name="payments.resend_callbacks")
def resend_callbacks() -> int:
    """Beat: the outbox is the truth. Re-send notifications whose task was lost (never attempted two minutes after
    the shopper chose) or whose retry chain ran out (still unacknowledged after an hour). Sending twice is safe:
    the callback is idempotent."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    now = timezone.now()
    lost = Q(attempts=0, created_at__lte=now - datetime.timedelta(minutes=2))
    exhausted = Q(created_at__lte=now - datetime.timedelta(hours=1))
    due = CallbackDelivery.objects.filter(acknowledged_at__isnull=True).filter(lost | exhausted)
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:200])
    for delivery_id in ids:
        deliver_callback.delay(delivery_id)
    return len(ids)
