from django.apps import AppConfig

# Periodic work of orders (Celery beat), declared once through marketplace.celery.declare_beat.
BEAT_SCHEDULE = {
    "orders-cancel-unpaid": {"task": "orders.cancel_expired_orders", "schedule": 60.0},
    "orders-auto-receive": {"task": "orders.auto_receive_shipped", "schedule": 300.0},
    "orders-flash-sweep": {"task": "orders.sweep_flash_tickets", "schedule": 10.0},
}


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from marketplace.celery import declare_beat
        from orders import receivers  # noqa: F401 - connects the receivers

        declare_beat(BEAT_SCHEDULE)
