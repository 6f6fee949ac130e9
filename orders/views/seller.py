"""Workbench (/seller/) pages of orders: the store's sub-orders, shipping, handing over with the pickup code.
Every query starts from request.store (shops.workbench)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.api import DomainError
from orders import invoices, selectors, services
from orders.models import SubOrder
from shops.permissions import Capability
from shops.workbench import seller_view


@seller_view(Capability.HANDLE_ORDERS)
def seller_orders(request):
    state = request.GET.get("state", "")
    rows = selectors.suborders_for_merchant(
        request.user, request.store, state if state in SubOrder.State.values else None
    ).prefetch_related("lines")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    counts = dict(
        SubOrder.objects.filter(store=request.store).values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    states = [(value, label, counts.get(value, 0)) for value, label in SubOrder.State.choices]
    return render(request, "seller/orders/list.html", {"page": page, "state": state, "states": states})


@seller_view(Capability.HANDLE_ORDERS)
def seller_order_detail(request, pk: int):
    suborder = selectors.suborder_for_merchant(request.user, pk, request.store)
    return render(request, "seller/orders/detail.html", {"suborder": suborder, "error": ""})


@require_POST
@seller_view(Capability.HANDLE_ORDERS)
def seller_ship(request, pk: int):
    suborder = selectors.suborder_for_merchant(request.user, pk, request.store)
    try:
        services.ship(
            suborder,
            actor=request.user,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
    except DomainError as exc:
        return render(request, "seller/orders/detail.html", {"suborder": suborder, "error": exc.message}, status=400)
    messages.success(request, _("Marked as shipped."))
    return redirect("orders:seller_order_detail", pk=pk)


@require_POST
@seller_view(Capability.HANDLE_ORDERS)
def seller_pickup(request, pk: int):
    suborder = selectors.suborder_for_merchant(request.user, pk, request.store)
    try:
        services.confirm_pickup(suborder, actor=request.user, code=request.POST.get("code", ""))
    except DomainError as exc:
        return render(request, "seller/orders/detail.html", {"suborder": suborder, "error": exc.message}, status=400)
    messages.success(request, _("Handed over to the shopper."))
    return redirect("orders:seller_order_detail", pk=pk)


@require_POST
@seller_view(Capability.HANDLE_ORDERS)
def seller_invoice(request, pk: int):
    """The workbench marks the requested invoice issued with its PDF."""
    suborder = selectors.suborder_for_merchant(request.user, pk, request.store)
    try:
        invoices.issue(suborder, actor=request.user, pdf=request.FILES.get("pdf"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invoice issued: the shopper can download it from the order."))
    return redirect("orders:seller_order_detail", pk=pk)
