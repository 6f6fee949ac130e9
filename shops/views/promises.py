"""Pages for service promises: the workbench service card (/seller/service-card/) and the console's catalogue
and platform holiday windows (/ops/service-catalogue/)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from marketplace.api import DomainError
from shops import forms, selectors, services
from shops.permissions import Capability
from shops.promises import PlatformHoliday, ServiceCatalogue
from shops.workbench import seller_view


@seller_view(Capability.MANAGE_STORE)
def service_card(request):
    catalogue = ServiceCatalogue.current()
    card = selectors.card_of(request.store)
    initial = {name: getattr(card, name) for name in services.promises.CARD_FIELDS}
    form = forms.ServiceCardForm(request.POST or None, initial=initial, choices=catalogue.ship_within_choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_service_card(request.store, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Service card saved. Orders paid from now on follow it."))
            return redirect("shops:seller_service_card")
    return render(request, "seller/shops/service_card.html", {
        "form": form, "service": selectors.service_card(request.store, catalogue), "catalogue": catalogue,
    })  # fmt: skip


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
