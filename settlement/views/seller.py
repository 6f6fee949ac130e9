"""Merchant finance pages: the store's monthly statement (page + CSV) and its recent payouts."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render

from payments import ledger
from settlement import statements
from settlement.models import Payout
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
