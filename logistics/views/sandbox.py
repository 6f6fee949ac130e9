"""The sandbox carrier's page (like the payment sandbox's hosted page): move a parcel one step now instead of
waiting for the beat. The step still reaches the platform through the signed webhook path."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from logistics.models import SandboxParcel
from logistics.services import tracking


@login_required
@require_POST
def advance_parcel(request, suborder_id: int):
    if not getattr(settings, "LOGISTICS_SANDBOX_CARRIER", True):
        raise Http404
    parcel = get_object_or_404(SandboxParcel, suborder_id=suborder_id, suborder__order__shopper=request.user)
    tracking.advance_now(parcel.pk)
    return redirect("orders:order_detail", parcel.suborder.order.number)
