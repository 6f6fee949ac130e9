"""Scenario helpers for review tests: a received order line, a valid review body, images."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders import services as order_services
from tests.orders.helpers import sku_in
from tests.refunds.helpers import paid_order, ship
from tests.shops.factories import ProductFactory

DSR = {"description": 5, "service": 4, "logistics": 5}


def paid_line(store=None, sku=None, quantity=1):
    sku = sku or sku_in(store, stock=50)
    order, lines, suborder = paid_order((sku, quantity))
    return order.shopper, suborder, lines[sku.pk]


def received_line(store=None, sku=None, quantity=1):
    """A paid, shipped and received one-line sub-order: (shopper, suborder, line)."""
    shopper, suborder, line = paid_line(store, sku, quantity)
    ship(suborder)
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    suborder.refresh_from_db()
    return shopper, suborder, line


def shipped_line(store=None):
    shopper, suborder, line = paid_line(store)
    ship(suborder)
    suborder.refresh_from_db()
    return shopper, suborder, line


def body(line, rating=5, dsr=None, **extra):
    return {"line": line.pk, "rating": rating, "text": "好评 <b>great</b>", "dsr": dsr or DSR, **extra}


def image_file(name="photo.png", size=(64, 48), fmt="PNG", colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def product_in(store, **kwargs):
    return ProductFactory(store=store, **kwargs)
