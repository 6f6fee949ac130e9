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
