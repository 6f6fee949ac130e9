"""Finance pages: merchant statements (page + CSV), operator settlement runs with progress, commission rates,
payouts and per-campaign promotion settlement."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from payments import ledger
from payments import settlement as settlement_services
from payments.models import CommissionRate, Payout, SettlementRun
from payments.settlement import statements
from shops.models import Category
from shops.permissions import Capability
from shops.workbench import seller_view


@seller_view(Capability.VIEW_FINANCE)
def seller_statements(request):
    start, end = statements.month_bounds(request.GET.get("month"))
    result = statements.statement(request.store.pk, start, end)
    if request.GET.get("format") == "csv":
        return _statement_csv(request.store, result)
    payouts = Payout.objects.filter(store=request.store)[:12]
    return render(
        request,
        "seller/finance/statement.html",
        {"statement": result, "month": start.strftime("%Y-%m"), "payouts": payouts,
         "balance": ledger.balance(ledger.store_payable(request.store.pk))},
    )  # fmt: skip


def _statement_csv(store, result: statements.Statement) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{store.slug}-{result.start:%Y-%m}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Chinese store names) correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(["date", "type", "reference", "paid", "platform_subsidy", "commission", "adjustments", "amount",
                     "memo"])  # fmt: skip
    writer.writerow([result.start.isoformat(), "opening_balance", "", "", "", "", "", f"{result.opening:.2f}", ""])
    for line in result.lines:
        s = line.settlement
        writer.writerow([
            line.at.isoformat(timespec="seconds"), line.kind, line.reference,
            f"{s.paid_amount:.2f}" if s else "", f"{s.platform_subsidy:.2f}" if s else "",
            f"{s.commission:.2f}" if s else "", f"{s.adjustments_total:.2f}" if s else "",
            f"{line.amount:.2f}", line.memo,
        ])  # fmt: skip
    writer.writerow([result.end.isoformat(), "closing_balance", "", "", "", "", "", f"{result.closing:.2f}", ""])
    return response


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
        },
    )


@require_POST
@operator_view
def ops_settlement_start(request):
    run = settlement_services.start_run(request.user)
    return redirect("refunds:ops_settlement_run", pk=run.pk)


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
    return redirect("refunds:ops_settlement")


class CommissionRateForm(forms.Form):
    vertical = forms.ModelChoiceField(
        label=gettext_lazy("Vertical"), queryset=Category.objects.filter(parent__isnull=True), required=False,
        empty_label=gettext_lazy("Any vertical"),
    )  # fmt: skip
    brand = forms.ChoiceField(
        label=gettext_lazy("Brand"),
        required=False,
        choices=[("", gettext_lazy("Any brand")), ("TAOBAO", "Taobao"), ("TMALL", "Tmall")],
    )
    percent = forms.DecimalField(label=gettext_lazy("Rate (%)"), min_value=0, max_value=50, decimal_places=2)


@operator_view
def ops_commissions(request):
    form = CommissionRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        save_rate(form.cleaned_data["vertical"], form.cleaned_data["brand"], form.cleaned_data["percent"], request.user)
        messages.success(request, _("Commission rate saved."))
        return redirect("refunds:ops_commissions")
    rates = CommissionRate.objects.select_related("vertical", "updated_by")
    return render(
        request,
        "ops/finance/commissions.html",
        {"form": form, "rates": rates, "default_percent": settlement_services.default_rate() * 100},
        status=400 if form.errors else 200,
    )


def save_rate(vertical, brand: str, percent, actor) -> CommissionRate:
    rate, _created = CommissionRate.objects.update_or_create(
        vertical=vertical, brand=brand or "", defaults={"rate": percent / 100, "updated_by": actor}
    )
    return rate


@require_POST
@operator_view
def ops_commission_delete(request, pk: int):
    get_object_or_404(CommissionRate, pk=pk).delete()
    messages.success(request, _("Commission rate removed; the next most specific rate applies."))
    return redirect("refunds:ops_commissions")
