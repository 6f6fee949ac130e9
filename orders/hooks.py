"""Start-up wiring: what orders plugs into the apps to its left, and the beat schedule of its periodic work."""

BEAT_SCHEDULE = {
    "orders-cancel-unpaid": {"task": "orders.cancel_expired_orders", "schedule": 60.0},
    "orders-auto-receive": {"task": "orders.auto_receive_shipped", "schedule": 300.0},
    "orders-flash-sweep": {"task": "orders.sweep_flash_tickets", "schedule": 10.0},
}


def install() -> None:
    from accounts.services import register_login_hook
    from orders import cart

    register_login_hook(cart.merge_session_cart_on_login)
    import orders.receivers  # noqa: F401  (connects orders' answers to the signals of the apps to its left)
    from marketplace.celery import declare_beat

    declare_beat(BEAT_SCHEDULE)
