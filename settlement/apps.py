from django.apps import AppConfig

BEAT_SCHEDULE = {
    "settlement-settle-received": {"task": "settlement.settle_received", "schedule": 60.0},
    "settlement-payouts": {"task": "settlement.run_payouts", "schedule": 3600.0},
}


class SettlementConfig(AppConfig):
    name = "settlement"

    def ready(self):
        from marketplace.celery import declare_beat
        from settlement import (
            event_texts,
            receivers,  # noqa: F401 - connects the receivers
        )

        declare_beat(BEAT_SCHEDULE)
        event_texts.register()
