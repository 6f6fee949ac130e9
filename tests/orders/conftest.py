import pytest

from orders import flash


@pytest.fixture
def armed():
    """arm(sku) starts the SKU's flash sale; every key the sale left in Redis is removed afterwards."""
    skus = []

    def arm(sku):
        skus.append(sku.pk)
        return flash.arm(sku.pk)

    yield arm
    for pk in skus:
        parts = ("stock", "tickets", "pending", "seen", "writer", "scheduled")
        flash.client().delete(*[flash.key(pk, part) for part in parts])
        flash.client().srem(flash.key(0, "armed"), pk)
