from django.apps import AppConfig


class LivestreamConfig(AppConfig):
    name = "livestream"

    def ready(self):
        from livestream import settlement

        settlement.install()
