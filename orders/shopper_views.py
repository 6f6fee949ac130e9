"""Shopper pages of the cart and checkout: choose what to check out (勾选结算), buy now (立即购买) without touching
the cart, shipping per store for the chosen address, notes to stores and an e-invoice request."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Address
from marketplace.api import DomainError
from marketplace.money import ZERO
from orders import cart as carts
from orders import checkout
from orders.models import Invoice


def shopper_or_none(request):
    return request.user if request.user.is_authenticated else None


# --- cart ------------------------------------------------------------------------------------------------------


def cart_page(request):
    view = carts.view_cart(carts.cart_for(request, create=False), shopper_or_none(request))
    return render(request, "storefront/orders/cart.html", {"view": view, "checkout_url": checkout_url(view)})


def checkout_url(view) -> str:
    ids = view.selected_ids
    return f"{reverse('orders:checkout')}?{urlencode({'items': ids}, doseq=True)}" if ids else ""


@require_POST
def cart_select(request):
    """Tick exactly the posted lines (checkboxes "items"); the cart re-prices the selection."""
    cart = carts.cart_for(request)
    try:
        carts.set_selection(cart, request.POST.getlist("items"))
    except DomainError as exc:
        messages.error(request, exc.message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("orders:cart")
        return response
    return redirect("orders:cart")


@require_safe
def cart_count(request):
    """Units in the visitor's cart for the tab bar badge (empty when none), loaded by every page."""
    cart = carts.cart_for(request, create=False)
    count = cart.items.aggregate(n=Sum("quantity"))["n"] if cart is not None and cart.pk else 0
    response = HttpResponse(str(count) if count else "", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# --- buy now ---------------------------------------------------------------------------------------------------


@require_POST
def buy_now(request):
    """The product page's / live room's 立即购买: just this item to checkout; the cart is left alone."""
    back = request.headers.get("Referer") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    try:
        sku = carts.find_sku(request.POST.get("sku"))
        quantity = carts.parse_quantity(request.POST.get("quantity", "1"))
        carts.check_quantity(sku, quantity, shopper_or_none(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    query = {"sku": sku.pk, "quantity": quantity}
    if request.POST.get("source"):
        query["source"] = request.POST["source"][:64]
    return redirect(f"{reverse('orders:checkout')}?{urlencode(query)}")


def buy_now_from(data) -> list[dict] | None:
    if not data.get("sku"):
        return None
    return [{"sku": data.get("sku"), "quantity": data.get("quantity", "1"), "source": data.get("source", "")}]


# --- checkout --------------------------------------------------------------------------------------------------


@login_required
def checkout_page(request):
    data = request.POST if request.method == "POST" else request.GET
    lines = buy_now_from(data)
    cart = None if lines else carts.cart_for(request)
    items = data.getlist("items") or None
    addresses = list(Address.objects.filter(user=request.user).order_by("-is_default", "pk"))
    address = chosen_address(addresses, data.get("address"))
    fulfilment = {
        key.removeprefix("fulfilment_"): value for key, value in data.items() if key.startswith("fulfilment_")
    }
    notes = {key.removeprefix("note_"): value for key, value in data.items() if key.startswith("note_")}
    invoice = {"kind": data.get("invoice_kind", ""), "title": data.get("invoice_title", ""),
               "tax_number": data.get("invoice_tax_number", "")}  # fmt: skip
    error = ""
    if request.method == "POST" and not data.get("refresh"):
        try:
            order, _created = checkout.place_order(
                shopper=request.user,
                cart=cart,
                idempotency_key=data.get("idempotency_key"),
                address_id=data.get("address") or None,
                fulfilment=fulfilment,
                expected_payable=data.get("expected_payable") or None,
                buy_now=lines,
                items=items,
                notes=notes,
                invoice=invoice,
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("payments:pay_order", number=order.number)
    try:
        view, inputs = preview(request.user, cart, lines, items, address)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:cart")
    if view.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    outlets = checkout.pickup_outlets(None, inputs)
    for group in view.groups:  # a store picked up ships nothing
        if fulfilment.get(str(group.store.pk)) not in (None, "", "delivery") and group.shipping_fee is not None:
            group.shipping_fee = ZERO
    context = {
        "view": view,
        "addresses": addresses,
        "default_address": address,
        "outlets": outlets,
        "fulfilment": fulfilment,
        "notes": notes,
        "invoice": invoice,
        "invoice_kinds": Invoice.Kind.choices,
        "buy_now": lines[0] if lines else None,
        "items": items or [],
        "idempotency_key": data.get("idempotency_key") or uuid.uuid4().hex,
        "error": error,
    }
    return render(request, "storefront/orders/checkout.html", context, status=400 if error else 200)


def chosen_address(addresses: list[Address], wanted) -> Address | None:
    chosen = next((a for a in addresses if str(a.pk) == str(wanted)), None)
    return chosen or (addresses[0] if addresses else None)


def preview(shopper, cart, lines, items, address):
    """The priced view of what this checkout would order, with shipping to ``address``."""
    province = address.province if address else ""
    if lines:
        inputs = checkout.buy_now_lines(lines)
        return carts.view_buy_now(inputs, shopper, province), inputs
    selection = carts.parse_selection(cart, items) if items else list(cart.items.values_list("pk", flat=True))
    view = carts.view_cart(cart, shopper, selection=selection, province=province)
    view.groups = [group for group in view.groups if any(line.item.selected for line in group.lines)]
    for group in view.groups:
        group.lines = [line for line in group.lines if line.item.selected]
    inputs = carts.priceable_inputs(cart, shopper, selection)[0]
    return view, inputs
