from django.apps import AppConfig

BEAT_SCHEDULE = {"promotions-expire-coupons": {"task": "promotions.expire_coupons", "schedule": 600.0}}


class PromotionsConfig(AppConfig):
    name = "promotions"

    def ready(self):
        from django.conf import settings

        for name, entry in BEAT_SCHEDULE.items():
            settings.CELERY_BEAT_SCHEDULE.setdefault(name, entry)
        from marketplace.celery import app

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **settings.CELERY_BEAT_SCHEDULE}
