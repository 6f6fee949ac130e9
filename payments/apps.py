from django.apps import AppConfig
from django.conf import settings

BEAT_SCHEDULE = {"payments-resend-callbacks": {"task": "payments.resend_callbacks", "schedule": 600.0}}


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        for name, entry in BEAT_SCHEDULE.items():
            settings.CELERY_BEAT_SCHEDULE.setdefault(name, entry)
        from marketplace.celery import app

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **settings.CELERY_BEAT_SCHEDULE}
