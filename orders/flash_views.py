"""Shopper pages of flash sales: the sales on now, one sale's buy-now form, and the ticket until its order is
written (polled by htmx). Thin: orders.flash_orders decides."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import Address
from marketplace.api import DomainError
from orders import flash_orders


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
