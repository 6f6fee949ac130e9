"""Settlement and payout tasks (thin wrappers over settlement.services). Idempotent; acks late."""

from celery import shared_task

from settlement import services


@shared_task(name="settlement.settle_suborder", acks_late=True, ignore_result=True, bind=True, max_retries=5)
def settle_suborder(self, suborder_id: int) -> bool:
    try:
        return services.settle(suborder_id) is not None
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 60)) from exc


@shared_task(name="settlement.settle_received", acks_late=True, ignore_result=True)
def settle_received() -> int:
    settled, _skipped, _failed = services.settle_due()
    return settled


@shared_task(name="settlement.run_settlement", acks_late=True, ignore_result=True)
def run_settlement(run_id: int) -> str:
    return services.execute_run(run_id).status


@shared_task(name="settlement.run_payouts", acks_late=True, ignore_result=True)
def run_payouts() -> int:
    return len(services.run_payouts())
