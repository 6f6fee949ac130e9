from django.apps import AppConfig

BEAT_SCHEDULE = {
    "refunds-sweep-approved": {"task": "refunds.sweep_approved", "schedule": 15.0},
    "refunds-timeouts": {"task": "refunds.apply_timeouts", "schedule": 60.0},
}


class RefundsConfig(AppConfig):
    name = "refunds"

    def ready(self):
        from refunds import receivers

        receivers.connect()
        from marketplace.celery import declare_beat
        from refunds import event_texts

        declare_beat(BEAT_SCHEDULE)
        event_texts.register()
