from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"

    def ready(self):
        from marketplace.celery import declare_beat
        from messaging import receivers  # noqa: F401 - connects the receivers
        from messaging.tasks import BEAT_SCHEDULE

        declare_beat(BEAT_SCHEDULE)
