"""What orders plugs into the apps to its left that has no signal yet (promotions' first-order provider)."""


def install() -> None:
    from orders import cart

    try:
        from promotions import pricing
    except ImportError:  # promotions not installed yet: every store counts as a first order
        pricing = None
    if pricing is not None:
        pricing.first_order_stores_provider = cart.first_order_stores
