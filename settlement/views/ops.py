"""Operator finance pages: settlement runs with progress, commission rates, payouts and per-campaign promotion
settlement."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from payments import ledger
from settlement import services as settlement_services
from settlement import statements
from settlement.forms import CommissionRateForm
from settlement.models import CommissionRate, Payout, SettlementRun


@operator_view
def ops_settlement(request):
    return render(
        request,
        "ops/finance/settlement.html",
        {
            "due": settlement_services.eligible().count(),
            "runs": SettlementRun.objects.select_related("started_by")[:10],
            "escrow": ledger.balance(ledger.ESCROW),
            "promotion_expense": ledger.balance(ledger.PROMOTION_EXPENSE),
            "commission_revenue": ledger.balance(ledger.COMMISSION_REVENUE),
            "payouts": Payout.objects.select_related("store")[:20],
            "subsidies": statements.campaign_subsidies(),
            "return_insurance": statements.return_insurance(),
        },
    )


@require_POST
@operator_view
def ops_settlement_start(request):
    run = settlement_services.start_run(request.user)
    return redirect("settlement:ops_settlement_run", pk=run.pk)


@operator_view
def ops_settlement_run(request, pk: int):
    run = get_object_or_404(SettlementRun, pk=pk)
    template = "ops/finance/_run_progress.html" if request.htmx else "ops/finance/run.html"
    return render(request, template, {"run": run})


@require_POST
@operator_view
def ops_payouts_run(request):
    payouts = settlement_services.run_payouts()
    messages.success(request, _("%(count)s payout(s) made for %(period)s.") % {
        "count": len(payouts), "period": settlement_services.payout_period()})  # fmt: skip
    return redirect("settlement:ops_settlement")


@operator_view
def ops_commissions(request):
    form = CommissionRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settlement_services.set_commission_rate(data["vertical"], data["brand"], data["percent"] / 100, request.user)
        messages.success(request, _("Commission rate saved."))
        return redirect("settlement:ops_commissions")
    rates = CommissionRate.objects.select_related("vertical", "updated_by")
    return render(
        request,
        "ops/finance/commissions.html",
        {"form": form, "rates": rates, "default_percent": settlement_services.default_rate() * 100},
        status=400 if form.errors else 200,
    )


@require_POST
@operator_view
def ops_commission_delete(request, pk: int):
    get_object_or_404(CommissionRate, pk=pk).delete()
    messages.success(request, _("Commission rate removed; the next most specific rate applies."))
    return redirect("settlement:ops_commissions")
