"""Storefront pages of orders: cart, checkout, my orders, and flash sales (the sales on now, one sale's buy-now form,
and the ticket until its order is written, polled by htmx; orders.flash_orders decides)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.models import Address
from marketplace.api import DomainError
from orders import cart as carts
from orders import checkout, flash_orders, selectors, services
from orders.events import why
from orders.models import SubOrder


def shopper_or_none(request):
    return request.user if request.user.is_authenticated else None


def back_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.headers.get("Referer") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def go(request, url: str):
    """Redirect; htmx requests get HX-Redirect so the whole page follows."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- cart ------------------------------------------------------------------------------------------------------


def cart_page(request):
    view = carts.view_cart(carts.cart_for(request, create=False), shopper_or_none(request))
    return render(request, "storefront/orders/cart.html", {"view": view})


@require_POST
def cart_add(request):
    """The product page's "add to cart" / "buy now" (fields sku, quantity, optional source)."""
    try:
        carts.add_item(
            carts.cart_for(request),
            sku_id=request.POST.get("sku"),
            quantity=request.POST.get("quantity", "1"),
            source=request.POST.get("source", ""),
            shopper=shopper_or_none(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return go(request, back_or(request, reverse("orders:cart")))
    messages.success(request, _("Added to your cart."))
    if request.POST.get("buy_now"):
        return go(request, reverse("orders:checkout"))
    return go(request, reverse("orders:cart"))


@require_POST
def cart_item_update(request, pk: int):
    cart = carts.cart_for(request)
    try:
        if request.POST.get("action") == "remove":
            carts.remove_item(cart, pk)
            messages.success(request, _("Removed from your cart."))
        else:
            carts.set_quantity(cart, pk, request.POST.get("quantity"), shopper_or_none(request))
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    return go(request, reverse("orders:cart"))


@require_POST
@login_required
def cart_coupons(request):
    choice = "best" if request.POST.get("mode", "best") == "best" else request.POST.getlist("coupon")
    try:
        carts.set_coupon_choice(carts.cart_for(request), choice, request.user)
        messages.success(request, _("Coupons updated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return go(request, reverse("orders:cart"))


# --- checkout --------------------------------------------------------------------------------------------------


@login_required
def checkout_page(request):
    cart = carts.cart_for(request)
    addresses = list(Address.objects.filter(user=request.user))
    error = ""
    if request.method == "POST":
        fulfilment = {
            key.removeprefix("fulfilment_"): value
            for key, value in request.POST.items()
            if key.startswith("fulfilment_")
        }
        try:
            order, _created = checkout.place_order(
                shopper=request.user,
                cart=cart,
                idempotency_key=request.POST.get("idempotency_key"),
                address_id=request.POST.get("address") or None,
                fulfilment=fulfilment,
                expected_payable=request.POST.get("expected_payable") or None,
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("payments:pay_order", number=order.number)
    view = carts.view_cart(cart, request.user)
    if view.is_empty and not error:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    outlets = checkout.pickup_outlets(cart)
    context = {
        "view": view,
        "addresses": addresses,
        "default_address": next((a for a in addresses if a.is_default), addresses[0] if addresses else None),
        "outlets": outlets,
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "error": error,
    }
    return render(request, "storefront/orders/checkout.html", context, status=400 if error else 200)


# --- my orders -------------------------------------------------------------------------------------------------


# The shopper's tabs (待付款 / 待发货 / 待收货 / 已收货): orders with at least one sub-order in these states.
ORDER_TABS = {
    "to_pay": (_lazy("To pay"), [SubOrder.State.AWAITING_PAYMENT]),
    "to_ship": (_lazy("To ship"), [SubOrder.State.AWAITING_SHIPMENT]),
    "to_receive": (_lazy("To receive"), [SubOrder.State.SHIPPED]),
    "done": (_lazy("Received"), [SubOrder.State.RECEIVED, SubOrder.State.COMPLETED]),
    "closed": (_lazy("Closed"), [SubOrder.State.CLOSED]),
}


@login_required
def order_list(request):
    tab = request.GET.get("tab", "")
    rows = selectors.orders_of(request.user).prefetch_related("suborders__store", "suborders__lines")
    if tab in ORDER_TABS:
        rows = rows.filter(suborders__state__in=ORDER_TABS[tab][1]).distinct()
    page = Paginator(rows, 10).get_page(request.GET.get("page"))
    tabs = [(value, label) for value, (label, _states) in ORDER_TABS.items()]
    return render(request, "storefront/orders/order_list.html", {"page": page, "tab": tab, "tabs": tabs})


@login_required
def order_detail(request, number: str):
    order = selectors.order_for_shopper(request.user, number)
    payment = order.payments.order_by("-created_at").first()
    template = "storefront/orders/_order_status.html" if request.htmx else "storefront/orders/order_detail.html"
    return render(request, template, {"order": order, "payment": payment})


@require_POST
@login_required
def order_cancel(request, number: str):
    order = selectors.order_for_shopper(request.user, number)
    try:
        services.cancel_order(order, actor=request.user, reason=why("cancelled_by_shopper"))
        messages.success(request, _("The order was cancelled; its items and coupons are available again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:order_detail", number=number)


@require_POST
@login_required
def suborder_receive(request, number: str, pk: int):
    order = selectors.order_for_shopper(request.user, number)
    suborder = get_object_or_404(SubOrder, order=order, pk=pk)
    try:
        services.confirm_receipt(suborder, shopper=request.user)
        messages.success(request, _("Thanks! You confirmed receipt."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:order_detail", number=number)


# --- flash sales ---------------------------------------------------------------------------------------------------


def flash_list(request):
    return render(request, "storefront/flash/list.html", {"sales": flash_orders.sales_on()})


@login_required
def flash_sale(request, sku_id: int):
    try:
        sale = flash_orders.sale_of(sku_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        try:
            purchase = flash_orders.buy(
                shopper=request.user,
                sku_id=sku_id,
                address_id=request.POST.get("address"),
                quantity=request.POST.get("quantity", "1"),
                idempotency_key=request.POST.get("key"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("orders:flash_sale", sku_id=sku_id)
        if purchase.ticket_id is None:
            return redirect("orders:order_detail", number=purchase.order_number)
        return redirect("orders:flash_ticket", ticket_id=purchase.ticket_id)
    addresses = Address.objects.filter(user=request.user).order_by("-is_default", "pk")
    context = {"sale": sale, "addresses": addresses, "key": uuid.uuid4().hex}  # one key per form: a double click
    return render(request, "storefront/flash/sale.html", context)  # returns the first ticket


@login_required
def flash_ticket(request, ticket_id: str):
    try:
        ticket = flash_orders.ticket_of(request.user, ticket_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    template = "storefront/flash/_ticket.html" if request.htmx else "storefront/flash/ticket.html"
    order_url = reverse("orders:order_detail", args=[ticket["order"]]) if ticket.get("order") else ""
    return render(request, template, {"ticket": ticket, "order_url": order_url})
