"""Console: refund disputes (平台介入) the platform decides, and a view over every refund."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from marketplace.api import DomainError
from refunds import selectors
from refunds.forms import OperatorDecisionForm
from refunds.models import RefundRequest

Status = RefundRequest.Status


@operator_view
def refund_list(request):
    current = request.GET.get("status", Status.ESCALATED)
    refunds = selectors.for_operator()
    if current in Status.values:
        refunds = refunds.filter(status=current)
    stuck = selectors.for_operator().filter(status=Status.APPROVED, attempts__gt=0).count()
    page = Paginator(refunds.order_by("-updated_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "ops/refunds/list.html",
        {"page": page, "current": current, "statuses": Status.choices, "stuck": stuck},
    )


@operator_view
def refund_detail(request, pk: int):
    refund = get_object_or_404(selectors.with_lines(selectors.for_operator()), pk=pk)
    return render(
        request,
        "ops/refunds/detail.html",
        {"refund": refund, "timeline": selectors.timeline(refund), "form": OperatorDecisionForm()},
    )


@require_POST
@operator_view
def refund_decide(request, pk: int):
    refund = get_object_or_404(selectors.for_operator(), pk=pk)
    form = OperatorDecisionForm(request.POST)
    if not form.is_valid():
        refund = selectors.with_lines(selectors.for_operator()).get(pk=pk)
        return render(
            request,
            "ops/refunds/detail.html",
            {"refund": refund, "timeline": selectors.timeline(refund), "form": form},
            status=400,
        )
    from refunds.services import review

    try:
        review.operator_decide(
            refund.pk,
            operator=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("refunds:ops_detail", pk=refund.pk)
