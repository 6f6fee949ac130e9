"""The adapter between the database and the pure pricing engine (``promotions.engine``): what cart, checkout,
flash orders, the quote API and the console previews call.

``cart`` holds the calls (``price_cart``, ``price_without_coupons``, ``preview_cart``), ``loading`` what is in
force for a cart, ``mapping`` the cart -> engine request, ``explanations`` the engine result -> priced cart with
labels, reasons and coupon options, ``results`` the answer's types. Callers import from this package.
"""

from promotions.adapter.cart import preview_cart, price_cart, price_without_coupons
from promotions.adapter.results import (
    CartItemInput,
    CouponOption,
    Hint,
    LineDiscount,
    PricedCart,
    PricedLine,
    PricedStore,
)

__all__ = [
    "CartItemInput",
    "CouponOption",
    "Hint",
    "LineDiscount",
    "PricedCart",
    "PricedLine",
    "PricedStore",
    "preview_cart",
    "price_cart",
    "price_without_coupons",
]
