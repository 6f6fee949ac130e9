"""Workbench pages of shipping templates (运费模板): list, create/edit with the products that use each, delete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.api import DomainError
from shops import shipping
from shops.forms import ShippingTemplateForm
from shops.models import ShippingTemplate
from shops.permissions import Capability
from shops.services import shipping as services
from shops.workbench import seller_view


@seller_view(Capability.MANAGE_CATALOG)
def template_list(request):
    templates = request.store.shipping_templates.prefetch_related("products").order_by("-is_default", "name")
    return render(request, "seller/shops/shipping_templates.html", {"templates": templates})


@seller_view(Capability.MANAGE_CATALOG)
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(ShippingTemplate, pk=pk, store=request.store) if pk else None
    products = request.store.products.order_by("title")
    initial = None
    if template is not None:
        initial = {name: getattr(template, name) for name in services.TEMPLATE_FIELDS}
        initial["regions"] = shipping.format_regions(shipping.regions_from_json(template.regions))
        initial["products"] = list(template.products.values_list("pk", flat=True))
    form = ShippingTemplateForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(store=request.store, template=template, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Shipping template saved."))
            return redirect("shops:seller_shipping_templates")
    return render(request, "seller/shops/shipping_template_form.html", {"form": form, "template": template})


@require_POST
@seller_view(Capability.MANAGE_CATALOG)
def template_delete(request, pk: int):
    services.delete_template(get_object_or_404(ShippingTemplate, pk=pk, store=request.store))
    messages.success(request, _("Shipping template deleted; its products use the store default."))
    return redirect("shops:seller_shipping_templates")
