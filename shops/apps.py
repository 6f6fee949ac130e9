from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "shops"

    def ready(self):
        from shops import signals

        signals.connect()
