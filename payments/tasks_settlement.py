"""Settlement and payout tasks (thin wrappers over payments.settlement). Idempotent; acks late."""

from celery import shared_task

from payments import settlement


@shared_task(name="payments.settle_suborder", acks_late=True, ignore_result=True, bind=True, max_retries=5)
def settle_suborder(self, suborder_id: int) -> bool:
    try:
        return settlement.settle(suborder_id) is not None
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 60)) from exc


@shared_task(name="payments.settle_received", acks_late=True, ignore_result=True)
def settle_received() -> int:
    settled, _skipped, _failed = settlement.settle_due()
    return settled


@shared_task(name="payments.run_settlement", acks_late=True, ignore_result=True)
def run_settlement(run_id: int) -> str:
    return settlement.execute_run(run_id).status


@shared_task(name="payments.run_payouts", acks_late=True, ignore_result=True)
def run_payouts() -> int:
    return len(settlement.run_payouts())
