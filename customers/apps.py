from celery.schedules import crontab
from django.apps import AppConfig

BEAT_SCHEDULE = {
    # Nightly (project time zone): segments move with the calendar even when nobody orders.
    "customers-recompute-segments": {"task": "customers.recompute_segments", "schedule": crontab(hour=2, minute=30)},
    "customers-flush-footprints": {"task": "customers.flush_footprints", "schedule": 10.0},
    "customers-purge-footprints": {"task": "customers.purge_footprints", "schedule": 3600.0},
}


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers"

    def ready(self):
        from customers import receivers  # noqa: F401 - connects the receivers
        from marketplace.celery import declare_beat

        declare_beat(BEAT_SCHEDULE)
