"""The payment page of an order and the sandbox gateway's hosted payment page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marketplace.api import DomainError
from orders import selectors
from payments import services
from payments.gateway import get_gateway
from payments.models import Payment


@login_required
def pay_order(request, number: str):
    """GET: what is owed and until when; POST: open a payment and go to the gateway's page."""
    order = selectors.order_for_shopper(request.user, number)
    if request.method == "POST":
        try:
            payment = services.start_payment(order, request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("orders:order_detail", number=number)
        if payment is None:
            return redirect("orders:order_detail", number=number)
        return redirect(get_gateway(payment.gateway).redirect_url(payment))
    remaining = max(0, int((order.expires_at - timezone.now()).total_seconds()))
    context = {"order": order, "remaining_minutes": remaining // 60, "payments": order.payments.all()[:5]}
    return render(request, "storefront/orders/pay.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def sandbox_page(request, reference: str):
    """The sandbox gateway's own page (as if on the gateway's site): pay or fail. Only the payer sees it."""
    payment = get_object_or_404(
        Payment.objects.select_related("order"), reference=reference, order__shopper=request.user
    )
    if request.method == "POST":
        try:
            payment = get_gateway().complete(reference, request.POST.get("outcome", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("payments:sandbox_page", reference=reference)
        return redirect("orders:order_detail", number=payment.order.number)
    return render(request, "payments/sandbox_page.html", {"payment": payment})
