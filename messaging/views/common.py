"""Bits both audiences' chat pages share."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from messaging.services import chat
from orders.models import SubOrder
from shops.models import Product


def card_choices(store, shopper, query) -> dict:
    """Cards the page offers to send: the product or order named in the query (from the page the shopper came
    from), the store's products and the shopper's own sub-orders at this store."""
    product_id = query.get("product")
    order_number = query.get("order")
    products = Product.objects.filter(store=store, status=Product.Status.ACTIVE).order_by("-sales_count", "pk")[:30]
    suborders = SubOrder.objects.filter(store=store, order__shopper=shopper).order_by("-created_at")[:30]
    return {
        "product": products.model.objects.filter(pk=product_id, store=store).first()
        if product_id and product_id.isdigit() and len(product_id) <= 18
        else None,
        "order": suborders.model.objects.filter(number=order_number, store=store, order__shopper=shopper).first()
        if order_number
        else None,
        "products": list(products),
        "suborders": list(suborders),
    }


def send_from_form(request, conversation_id: int) -> None:
    """Post what the form holds: a product card, an order card and/or text; errors become page messages."""
    data = request.POST
    try:
        if data.get("product"):
            chat.post_message(conversation_id, request.user, product_id=data["product"])
        if data.get("order"):
            chat.post_message(conversation_id, request.user, order_number=data["order"])
        if data.get("text", "").strip() or not (data.get("product") or data.get("order")):
            chat.post_message(conversation_id, request.user, text=data.get("text", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    except Http404:
        messages.error(request, _("Not found."))
