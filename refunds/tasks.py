"""Thin Celery wrappers; the work is in refunds.services. Every task is idempotent and acks late."""

from celery import shared_task
from django.conf import settings

from refunds.services import processing, review

SWEEP_AFTER_SECONDS = getattr(settings, "REFUND_SWEEP_AFTER_SECONDS", 30)


@shared_task(
    name="refunds.pay_refund",
    acks_late=True,
    ignore_result=True,
    reject_on_worker_lost=True,
    bind=True,
    max_retries=8,
)
def pay_refund(self, refund_id: int) -> str:
    """Pays this refund and, in the same round, other refunds waiting behind it (processing.pay_batch)."""
    try:
        outcome = processing.pay_batch(refund_id)
    except Exception as exc:
        processing.record_failure(refund_id, repr(exc))
        # Back off 1, 2, 4... s; after the last retry the beat sweep keeps trying.
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 60)) from exc
    if outcome == "claimed":  # another worker's batch holds it: look again once that batch must be over
        raise self.retry(countdown=processing.CLAIMED_RETRY_SECONDS)
    return outcome


@shared_task(name="refunds.sweep_approved", acks_late=True, ignore_result=True)
def sweep_approved() -> int:
    return processing.sweep(older_than_seconds=SWEEP_AFTER_SECONDS)


@shared_task(name="refunds.apply_timeouts", acks_late=True, ignore_result=True)
def apply_timeouts() -> int:
    return review.apply_timeouts()
