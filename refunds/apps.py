from django.apps import AppConfig

BEAT_SCHEDULE = {
    "refunds-sweep-approved": {"task": "refunds.sweep_approved", "schedule": 15.0},
    "refunds-timeouts": {"task": "refunds.apply_timeouts", "schedule": 60.0},
    "payments-settle-received": {"task": "payments.settle_received", "schedule": 60.0},
    "payments-payouts": {"task": "payments.run_payouts", "schedule": 3600.0},
}


class RefundsConfig(AppConfig):
    name = "refunds"

    def ready(self):
        # Settlement lives in payments but its wiring is installed here so payments' own config stays untouched.
        from payments import settlement

        settlement.install()
        from refunds import receivers

        receivers.connect()
        from payments import checks
        from refunds.services import insurance

        checks.register(insurance.shopper_credits_match)
        from marketplace.celery import declare_beat

        declare_beat(BEAT_SCHEDULE)
