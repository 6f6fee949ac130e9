from django.apps import AppConfig

BEAT_SCHEDULE = {
    "logistics-late-shipments": {"task": "logistics.detect_late_shipments", "schedule": 300.0},
    "logistics-sandbox-carrier": {"task": "logistics.sandbox_carrier_tick", "schedule": 60.0},
}


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = "Logistics"

    def ready(self):
        from logistics import receivers

        receivers.connect()
        from marketplace.celery import declare_beat

        declare_beat(BEAT_SCHEDULE)
        from logistics import event_texts

        event_texts.register()
