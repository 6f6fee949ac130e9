"""Console: customer experience by vertical and brand (with charts and CSV), and review moderation."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from marketplace.api import DomainError
from reviews import charts, experience
from reviews.forms import HideForm
from reviews.models import Review
from reviews.services import reviews as review_services


@operator_view
def experience_page(request):
    days = experience.period(request.GET.get("days"))
    report = experience.report(days)
    series_days = next(iter(report.daily.values()), [])
    day_list = [day for day, _dsr, _rate in series_days]
    dsr_chart = charts.line_chart(
        day_list, {name: [dsr for _d, dsr, _r in points] for name, points in report.daily.items()}, top=5.0, bottom=1.0
    )
    top_rate = max([float(rate) for points in report.daily.values() for _d, _s, rate in points if rate] or [10.0])
    refund_chart = charts.line_chart(
        day_list,
        {name: [rate for _d, _s, rate in points] for name, points in report.daily.items()},
        top=max(10.0, round(top_rate + 5, -1)),
        unit="%",
    )
    context = {"report": report, "days": days, "periods": experience.PERIODS, "dsr_chart": dsr_chart,
               "refund_chart": refund_chart}  # fmt: skip
    return render(request, "ops/reviews/experience.html", context)


@operator_view
def experience_csv(request):
    days = experience.period(request.GET.get("days"))
    report = experience.report(days)
    per_day = request.GET.get("by") == "day"
    columns = experience.DAILY_CSV_COLUMNS if per_day else experience.CSV_COLUMNS
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"experience-{days}d-by-day.csv" if per_day else f"experience-{days}d.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in report.per_day if per_day else report.rows:
        data = row.as_dict()
        writer.writerow(["" if data[column] is None else data[column] for column in columns])
    return response


@operator_view
def review_list(request):
    reviews = Review.objects.select_related("shopper", "product", "store").order_by("-created_at", "-id")
    if request.GET.get("show") == "hidden":
        reviews = reviews.filter(hidden=True)
    elif request.GET.get("show") == "bad":
        reviews = reviews.filter(rating__lte=2)
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(request, "ops/reviews/list.html", {"page": page, "show": request.GET.get("show", ""),
                                                     "form": HideForm()})  # fmt: skip


@require_POST
@operator_view
def review_hide(request, pk: int):
    review = get_object_or_404(Review, pk=pk)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give a reason."), code="missing_reason")
        review_services.set_hidden(
            operator=request.user, review_id=review.pk, hidden=not review.hidden, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Review hidden.") if not review.hidden else _("Review shown again."))
    return redirect("reviews:ops_reviews")
