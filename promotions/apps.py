from django.apps import AppConfig

BEAT_SCHEDULE = {"promotions-expire-coupons": {"task": "promotions.expire_coupons", "schedule": 600.0}}


class PromotionsConfig(AppConfig):
    name = "promotions"

    def ready(self):
        from marketplace.celery import declare_beat

        declare_beat(BEAT_SCHEDULE)
