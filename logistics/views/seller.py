"""Workbench (/seller/) pages of logistics: the store's late shipments and what they cost."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from logistics import selectors
from shops.models import Store
from shops.permissions import Capability
from shops.workbench import seller_view


@require_safe
@seller_view(Capability.HANDLE_ORDERS)
def late_shipments(request):
    stores = Store.objects.filter(pk=request.store.pk)
    return render(request, "seller/logistics/late_shipments.html", {
        "rows": selectors.late_shipments_of(stores)[:200], "figures": selectors.late_shipment_counts(stores)[0],
    })  # fmt: skip
