"""Workbench pages of insight: analytics (per store or all of the merchant's stores), the to-do board, the demand
forecast, with CSV exports."""

from __future__ import annotations

import csv
import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from insight import charts, selectors, todo
from insight.analytics import figures
from marketplace.api import DomainError
from shops.permissions import Capability, stores_for
from shops.workbench import seller_view

CSV_FIELDS = ["date", "visitors", "views", "conversion", "orders", "buyers", "new_buyers", "returning_buyers",
              "units", "gmv", "refunds", "net_sales", "aov"]  # fmt: skip


def _scope(request) -> list[int]:
    """The current store, or every store of the user with scope=all."""
    if request.GET.get("scope") == "all":
        return list(stores_for(request.user, Capability.VIEW_STORE).order_by("pk").values_list("pk", flat=True))
    return [request.store.pk]


def _analytics(request):
    error = ""
    try:
        first, last = figures.parse_range(request.GET.get("from"), request.GET.get("to"))
    except DomainError as exc:
        error = exc.message
        first, last = figures.parse_range(None, None)
    grain = request.GET.get("grain") if request.GET.get("grain") in figures.GRAINS else "day"
    store_ids = _scope(request)
    rows = figures.series(store_ids, first, last, grain)
    return store_ids, first, last, grain, rows, error


@require_safe
@seller_view()
def analytics_page(request):
    store_ids, first, last, grain, rows, error = _analytics(request)
    labels = [row["date"].isoformat()[5:] for row in rows]
    chart = charts.line_chart(labels, [(_("GMV"), [row["gmv"] for row in rows], "#e4393c"),
                                       (_("Refunds"), [row["refunds"] for row in rows], "#888")], title=_("GMV"))  # fmt: skip
    traffic = charts.line_chart(labels, [(_("Visitors"), [row["visitors"] for row in rows], "#1677ff"),
                                         (_("Buyers"), [row["buyers"] for row in rows], "#52c41a")], title=_("Visitors"))  # fmt: skip
    total = figures.totals(rows)
    return render(request, "insight/seller/analytics.html", {
        "rows": rows, "total": total, "first": first, "last": last, "grain": grain, "error": error,
        "scope": request.GET.get("scope", "store"), "chart": chart, "traffic": traffic,
        "top_products": figures.top_products(store_ids, first, last),
        "sources": sorted(total["sources"].items(), key=lambda kv: -kv[1]),
        "promotions": figures.promotion_performance(store_ids, first, last),
    })  # fmt: skip


@require_safe
@seller_view()
def analytics_csv(request):
    _stores, first, last, _grain, rows, _error = _analytics(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="analytics-{first}-{last}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow([row[name] if row[name] is not None else "" for name in CSV_FIELDS])
    return response


@require_safe
@seller_view()
def todo_board(request):
    store_ids = _scope(request)
    today = timezone.localdate()
    rows = figures.series(store_ids, today - datetime.timedelta(days=29), today)
    spark = {name: charts.sparkline([row[name] for row in rows]) for name in ("gmv", "orders", "visitors")}
    template = "insight/seller/_todo.html" if request.htmx else "insight/seller/todo.html"
    return render(request, template, {
        "items": todo.board(store_ids), "today": rows[-1], "yesterday": rows[-2], "spark": spark,
        "scope": request.GET.get("scope", "store"),
    })  # fmt: skip


def _forecast_rows(request):
    result = selectors.forecast_rows(_scope(request), request.GET)
    for row in result["rows"]:
        row["spark"] = charts.sparkline(row["daily"])
    days = sorted(result["per_day"])
    chart = charts.line_chart([day.isoformat()[5:] for day in days],
                              [(_("Forecast units"), [result["per_day"][day] for day in days], "#e4393c")],
                              title=_("Forecast units"))  # fmt: skip
    return result["rows"], result["lead"], result["service"], {
        "campaigns": result["campaigns"], "chosen": result["chosen"], "chart": chart}  # fmt: skip


@require_safe
@seller_view()
def forecast_page(request):
    rows, lead, service, extra = _forecast_rows(request)
    return render(request, "insight/seller/forecast.html", {"rows": rows[:200], "lead": lead, "service": service,
                                                            "scope": request.GET.get("scope", "store"), **extra})  # fmt: skip


@require_safe
@seller_view()
def forecast_csv(request):
    rows, _lead, _service, _extra = _forecast_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="forecast.csv"'
    writer = csv.writer(response)
    writer.writerow(["sku", "outlet", "forecast_units", "stock", "lead_demand", "safety_stock", "suggested"])
    for row in rows:
        writer.writerow([row["sku"].code if row["sku"] else "", row["outlet_id"] or "", row["next_30"], row["stock"],
                         row["lead_demand"], row["safety_stock"], row["suggested"]])  # fmt: skip
    return response
