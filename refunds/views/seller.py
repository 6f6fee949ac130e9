"""Merchant workbench: refund requests of the current store (approve, reject with a reason, confirm returns)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.api import DomainError
from refunds import selectors
from refunds.forms import RejectForm
from refunds.models import RefundRequest
from refunds.services import review
from shops.permissions import Capability
from shops.workbench import seller_view

Status = RefundRequest.Status
NEEDS_ACTION = (Status.PENDING_REVIEW, Status.RETURN_SHIPPED)
FILTERS = {
    "action": NEEDS_ACTION,
    "open": RefundRequest.OPEN_STATUSES,
    "refunded": (Status.REFUNDED,),
    "closed": (Status.CLOSED,),
}


def _store_refunds(request):
    return selectors.for_merchant(request.user).filter(store=request.store)


@seller_view(Capability.HANDLE_REFUNDS)
def refund_list(request):
    current = request.GET.get("show", "action")
    refunds = _store_refunds(request)
    if current in FILTERS:
        refunds = refunds.filter(status__in=FILTERS[current])
    page = Paginator(refunds.order_by("deadline_at", "-created_at"), 30).get_page(request.GET.get("page"))
    counts = {name: _store_refunds(request).filter(status__in=statuses).count() for name, statuses in FILTERS.items()}
    return render(request, "seller/refunds/list.html", {"page": page, "current": current, "counts": counts})


@seller_view(Capability.HANDLE_REFUNDS)
def refund_detail(request, pk: int):
    refund = get_object_or_404(selectors.with_lines(_store_refunds(request)), pk=pk)
    return render(
        request,
        "seller/refunds/detail.html",
        {"refund": refund, "timeline": selectors.timeline(refund), "reject_form": RejectForm()},
    )


def _act(request, pk: int, action, success: str):
    refund = get_object_or_404(_store_refunds(request), pk=pk)
    try:
        action(refund)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("refunds:seller_detail", pk=refund.pk)


@require_POST
@seller_view(Capability.HANDLE_REFUNDS)
def refund_approve(request, pk: int):
    return _act(
        request,
        pk,
        lambda refund: review.merchant_approve(refund.pk, actor=request.user, store_ids=[request.store.pk]),
        _("Refund approved."),
    )


@require_POST
@seller_view(Capability.HANDLE_REFUNDS)
def refund_reject(request, pk: int):
    refund = get_object_or_404(selectors.with_lines(_store_refunds(request)), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "seller/refunds/detail.html",
            {"refund": refund, "timeline": selectors.timeline(refund), "reject_form": form},
            status=400,
        )
    return _act(
        request,
        pk,
        lambda refund: review.merchant_reject(
            refund.pk, actor=request.user, store_ids=[request.store.pk], reason=form.cleaned_data["reason"]
        ),
        _("Refund rejected. The shopper can change the request or ask the platform to step in."),
    )


@require_POST
@seller_view(Capability.HANDLE_REFUNDS)
def refund_confirm_return(request, pk: int):
    return _act(
        request,
        pk,
        lambda refund: review.merchant_confirm_return(refund.pk, actor=request.user, store_ids=[request.store.pk]),
        _("Return received; the shopper is being refunded."),
    )
