from django.apps import AppConfig

BEAT_SCHEDULE = {"payments-resend-callbacks": {"task": "payments.resend_callbacks", "schedule": 600.0}}


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        from marketplace.celery import declare_beat
        from payments import event_texts

        declare_beat(BEAT_SCHEDULE)
        event_texts.register()
