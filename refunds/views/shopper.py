"""Shopper pages: ask for a refund from the order detail, follow it live, change, withdraw, escalate, return."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.api import DomainError
from orders.models import SubOrder
from refunds import selectors
from refunds.forms import EscalateForm, RefundRequestForm, ReturnShipmentForm
from refunds.models import RefundRequest
from refunds.services import assessment, review
from refunds.services import requests as refund_requests

CREDITS_PER_PAGE = 20


def _own_suborder(request, suborder_id: int) -> SubOrder:
    return get_object_or_404(
        SubOrder.objects.select_related("order", "store"), pk=suborder_id, order__shopper=request.user
    )


def _own_refund(request, pk: int) -> RefundRequest:
    return get_object_or_404(selectors.with_lines(selectors.for_shopper(request.user)), pk=pk)


def _line_rows(suborder, exclude_request=None):
    rows = assessment.availability(suborder, exclude_request=exclude_request)
    for row in rows:
        row.line.refundable_quantity = row.refundable_quantity
    return rows


@login_required
def refund_list(request):
    refunds = selectors.for_shopper(request.user)[:100]
    return render(request, "storefront/refunds/list.html", {"refunds": refunds})


@login_required
def my_credits(request):
    """我的补偿: late-shipment compensation and 运费险 payouts credited to the signed-in shopper, with the total."""
    page = Paginator(selectors.credits_of(request.user), CREDITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "credits": selectors.credit_rows(page), "total": selectors.credit_total(request.user)}
    return render(request, "storefront/refunds/credits.html", context)


def _refund_form(suborder, data=None, initial=None):
    rows = _line_rows(suborder)
    lines = [row.line for row in rows if row.refundable_quantity > 0]
    form = RefundRequestForm(data, lines=lines, kinds=assessment.kinds_offered(suborder), initial=initial)
    return rows, form


def _prediction(suborder, form) -> dict:
    decision = assessment.predict(suborder, form.chosen_quantities(), form.chosen_kind())
    return {"decision": decision}


@login_required
def refund_new(request, suborder_id: int):
    suborder = _own_suborder(request, suborder_id)
    if request.method == "POST":
        rows, form = _refund_form(suborder, request.POST)
        if form.is_valid():
            try:
                refund = refund_requests.create_request(
                    shopper=request.user,
                    suborder_id=suborder.pk,
                    quantities=form.cleaned_data["quantities"],
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    description=form.cleaned_data["description"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    no_reason=form.cleaned_data["no_reason"],
                )
            except DomainError as exc:
                if exc.status_code == 404:
                    raise Http404 from exc
                form.add_error(None, exc.message)
            else:
                return redirect("refunds:detail", pk=refund.pk)
        status = 400
    else:
        rows, form = _refund_form(suborder, initial={"idempotency_key": uuid.uuid4().hex})
        status = 200
    context = {
        "suborder": suborder,
        "rows": rows,
        "form": form,
        "closed": suborder.state == SubOrder.State.CLOSED,
        "prediction": _prediction(suborder, form),
    }
    return render(request, "storefront/refunds/new.html", context, status=status)


@require_POST
@login_required
def refund_preview(request, suborder_id: int):
    """htmx: whether the refund as chosen so far would be instant, from the evaluation the request will use."""
    suborder = _own_suborder(request, suborder_id)
    _rows, form = _refund_form(suborder, request.POST)
    return render(request, "storefront/refunds/_prediction.html", {"prediction": _prediction(suborder, form)})


@login_required
def refund_detail(request, pk: int):
    refund = _own_refund(request, pk)
    context = {
        "refund": refund,
        "timeline": selectors.timeline(refund),
        "return_form": ReturnShipmentForm(),
        "escalate_form": EscalateForm(),
    }
    if refund.status == RefundRequest.Status.REJECTED:
        rows = _line_rows(refund.suborder, exclude_request=refund.pk)
        current = {line.order_line_id: line.quantity for line in refund.lines.all()}
        form = RefundRequestForm(
            lines=[row.line for row in rows],
            kinds=assessment.kinds_offered(refund.suborder),
            initial={
                "kind": refund.kind,
                "reason": refund.reason,
                "description": refund.description,
                "idempotency_key": "modify",
                **{f"qty_{line_id}": quantity for line_id, quantity in current.items()},
            },
        )
        context["modify_form"] = form
    return render(request, "storefront/refunds/detail.html", context)


@login_required
def refund_status(request, pk: int):
    """The live status block (htmx polls it every second until the refund is final)."""
    refund = _own_refund(request, pk)
    return render(request, "storefront/refunds/_status.html", {"refund": refund})


def _act(request, pk: int, action, success: str):
    refund = _own_refund(request, pk)
    try:
        action(refund)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("refunds:detail", pk=refund.pk)


@require_POST
@login_required
def refund_withdraw(request, pk: int):
    return _act(
        request,
        pk,
        lambda refund: refund_requests.withdraw_request(refund.pk, shopper=request.user),
        _("The refund request was withdrawn."),
    )


@require_POST
@login_required
def refund_escalate(request, pk: int):
    form = EscalateForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda refund: review.escalate(refund.pk, shopper=request.user, note=note),
        _("The platform will look at your request."),
    )


@require_POST
@login_required
def refund_return_shipment(request, pk: int):
    form = ReturnShipmentForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"carrier": "", "tracking_number": "", "postage": None}
    return _act(
        request,
        pk,
        lambda refund: review.submit_return_shipment(
            refund.pk,
            shopper=request.user,
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            postage=data.get("postage"),
        ),
        _("Return shipment recorded. The merchant will confirm receipt."),
    )


@require_POST
@login_required
def refund_modify(request, pk: int):
    refund = _own_refund(request, pk)
    rows = _line_rows(refund.suborder, exclude_request=refund.pk)
    form = RefundRequestForm(
        request.POST, lines=[row.line for row in rows], kinds=assessment.kinds_offered(refund.suborder)
    )
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Check the quantities and the reason.")]:
            messages.error(request, error)
        return redirect("refunds:detail", pk=refund.pk)
    return _act(
        request,
        pk,
        lambda refund: refund_requests.modify_request(
            refund.pk,
            shopper=request.user,
            quantities=form.cleaned_data["quantities"],
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            description=form.cleaned_data["description"],
        ),
        _("Your changed request was sent to the merchant."),
    )


@login_required
@require_POST
def cancel_overdue(request, suborder_id: int):
    """The store missed its ship-by time: cancel the sub-order for an instant full refund."""
    suborder = _own_suborder(request, suborder_id)
    try:
        refund = refund_requests.cancel_overdue(
            shopper=request.user, suborder_id=suborder.pk, idempotency_key=request.POST.get("idempotency_key") or ""
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("orders:order_detail", suborder.order.number)
    messages.success(request, _("Cancelled: your money is on its way back."))
    return redirect("refunds:detail", refund.pk)
