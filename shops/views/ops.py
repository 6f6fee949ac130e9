"""Console (/ops/) pages of the shops app: brand-authorization review, merchants and stores, the service catalogue
and platform holiday windows."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import operator_view
from marketplace.api import DomainError
from shops import forms, services
from shops.models import BrandAuthorization, Merchant, Store
from shops.promises import PlatformHoliday, ServiceCatalogue


@require_safe
@operator_view
def ops_dashboard(request):
    pending = BrandAuthorization.objects.filter(status=BrandAuthorization.Status.PENDING).count()
    return render(request, "ops/dashboard.html", {"pending_authorizations": pending,
                                                  "store_count": Store.objects.count(),
                                                  "merchant_count": Merchant.objects.count()})  # fmt: skip


@require_safe
@operator_view
def brand_queue(request):
    status = request.GET.get("status") or BrandAuthorization.Status.PENDING
    rows = BrandAuthorization.objects.select_related("store__merchant", "decided_by").order_by("submitted_at")
    if status in BrandAuthorization.Status.values:
        rows = rows.filter(status=status)
    return render(request, "ops/shops/brand_queue.html", {
        "rows": rows[:200], "status": status, "statuses": BrandAuthorization.Status.choices,
        "form": forms.DecisionForm(),
    })  # fmt: skip


@require_POST
@operator_view
def brand_decide(request, pk: int):
    authorization = get_object_or_404(BrandAuthorization, pk=pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("shops:ops_brand_queue")
    try:
        services.decide_brand_authorization(authorization, operator=request.user,
                                            approve=form.cleaned_data["decision"] == "approve",
                                            reason=form.cleaned_data["reason"])  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("shops:ops_brand_queue")


@require_safe
@operator_view
def merchants(request):
    q = (request.GET.get("q") or "").strip()
    rows = Merchant.objects.select_related("owner").annotate(store_count=Count("stores")).order_by("name")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(owner__username__icontains=q) | Q(stores__name__icontains=q))
    page = Paginator(rows.distinct(), 50).get_page(request.GET.get("page"))
    return render(request, "ops/shops/merchants.html", {"page": page, "q": q})


@require_safe
@operator_view
def stores(request):
    q = (request.GET.get("q") or "").strip()
    rows = Store.objects.select_related("merchant").annotate(product_count=Count("products")).order_by("name")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(slug__icontains=q) | Q(merchant__name__icontains=q))
    brand = request.GET.get("brand")
    if brand:
        rows = rows.filter(brand=brand)
    status = request.GET.get("status")
    if status:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "ops/shops/stores.html", {"page": page, "q": q, "brand": brand or "",
                                                     "status": status or "", "statuses": Store.Status.choices})  # fmt: skip


@require_POST
@operator_view
def store_status(request, pk: int):
    """Suspend a store (its products leave the storefront) or reinstate it (a Tmall store still needs approval)."""
    store = get_object_or_404(Store, pk=pk)
    try:
        services.set_store_suspended(store, request.POST.get("action") == "suspend")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Store status updated."))
    return redirect(
        request.POST.get("next") if str(request.POST.get("next", "")).startswith("/ops/") else "shops:ops_stores"
    )


@operator_view
def service_catalogue(request):
    catalogue = ServiceCatalogue.current()
    initial = {
        "ship_within_choices": ", ".join(str(hours) for hours in catalogue.ship_within_choices),
        "presale_max_days": catalogue.presale_max_days,
        "return_excluded_verticals": list(catalogue.return_excluded_verticals.all()),
        "return_insurance_cap": catalogue.return_insurance_cap,
        "late_compensation_rate": catalogue.late_compensation_rate,
        "late_compensation_cap": catalogue.late_compensation_cap,
    }
    form = forms.ServiceCatalogueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_catalogue(operator=request.user, **form.service_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Service catalogue saved."))
            return redirect("shops:ops_service_catalogue")
    return render(request, "ops/shops/service_catalogue.html", {
        "form": form, "holiday_form": forms.HolidayForm(), "holidays": PlatformHoliday.objects.order_by("-starts_on"),
    })  # fmt: skip


@require_POST
@operator_view
def holiday_create(request):
    form = forms.HolidayForm(request.POST)
    if form.is_valid():
        try:
            services.declare_holiday(operator=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Holiday declared: ship-by and refund-review clocks stop on those days."))
    else:
        messages.error(request, _("Enter a name and both dates."))
    return redirect("shops:ops_service_catalogue")


@require_POST
@operator_view
def holiday_remove(request, pk: int):
    try:
        services.remove_holiday(get_object_or_404(PlatformHoliday, pk=pk))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("shops:ops_service_catalogue")
