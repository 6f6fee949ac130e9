"""Shopper pages of logistics: agreeing to wait while the store is closed (the order page offers it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.services import ship_by
from marketplace.api import DomainError
from orders.models import SubOrder


@login_required
@require_POST
def wait_for_store(request, suborder_id: int):
    try:
        suborder = ship_by.agree_to_wait(shopper=request.user, suborder_id=suborder_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        number = SubOrder.objects.filter(pk=suborder_id).values_list("order__number", flat=True).first()
        return redirect("orders:order_detail", number)
    messages.success(
        request,
        _("Thanks for waiting: the store now ships by %(date)s.")
        % {"date": timezone.localtime(suborder.ship_by).strftime("%Y-%m-%d %H:%M")},
    )
    return redirect("orders:order_detail", suborder.order.number)
