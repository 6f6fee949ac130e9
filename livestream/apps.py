from django.apps import AppConfig


class LivestreamConfig(AppConfig):
    name = "livestream"

    def ready(self):
        from livestream import receivers  # noqa: F401 - connects the receivers
