from django.apps import AppConfig

BEAT_SCHEDULE = {
    "insight-flush-events": {"task": "insight.flush_events", "schedule": 5.0},
    "insight-roll-up": {"task": "insight.roll_up", "schedule": 600.0},
    "insight-purge-events": {"task": "insight.purge_events", "schedule": 24 * 3600.0},
    "insight-train-recommendations": {"task": "insight.train_recommendations", "schedule": 3600.0},
    "insight-forecast": {"task": "insight.refresh_forecasts", "schedule": 24 * 3600.0},
}


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = "Insight"

    def ready(self):
        from insight import receivers
        from marketplace.celery import declare_beat

        receivers.connect()
        declare_beat(BEAT_SCHEDULE)
