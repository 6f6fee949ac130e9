"""What refunds does when apps to its left announce something (connected in RefundsConfig.ready)."""

from shops.signals import pauses_changed


def on_pauses_changed(sender, store_id=None, **kwargs):
    """A closure or a platform holiday changed: review deadlines of the store (or of every store) move with it."""
    from refunds.services import clock

    clock.refresh_store(store_id)


def connect() -> None:
    pauses_changed.connect(on_pauses_changed, dispatch_uid="refunds-pauses")
