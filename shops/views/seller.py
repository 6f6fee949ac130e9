"""Workbench (/seller/) pages of the shops app. Every query starts from request.store (shops.workbench)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.api import DomainError
from shops import forms, importer, selectors, services, workbench
from shops.models import SKU, Brand, ImportJob, Merchant, Outlet, Product, StockPool, StoreClosure, StoreStaff
from shops.permissions import Capability
from shops.promises import ServiceCatalogue
from shops.workbench import seller_view


@require_safe
@seller_view()
def seller_dashboard(request):
    return render(request, "seller/dashboard.html", {"stats": selectors.store_stats(request.store)})


@require_POST
@seller_view()
def seller_switch(request):
    try:
        store_id = int(request.POST.get("store", ""))
    except ValueError:
        store_id = 0
    if not workbench.switch_store(request, store_id):
        messages.error(request, _("You do not work in that store."))
    next_url = request.POST.get("next") or ""
    return redirect(next_url if next_url.startswith("/seller/") else "shops:seller_dashboard")


@login_required
def store_create(request):
    """A merchant owner opens another store (either brand) under the same login. Tmall waits for approval."""
    merchant = Merchant.objects.filter(owner=request.user).order_by("pk").first()
    if merchant is None:
        return render(request, "seller/not_staff.html", status=403)
    form = forms.StoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            store = services.create_store(merchant=merchant, self_service=True, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            workbench.switch_store(request, store.pk)
            if store.brand == Brand.TMALL:
                messages.info(request, _("Submit your brand authorization: the store opens once it is approved."))
                return redirect("shops:seller_brand")
            if not store.is_open:
                messages.info(request, _("Your first store opens once an operator approves it."))
                return redirect("shops:seller_dashboard")
            messages.success(request, _("Your store is open."))
            return redirect("shops:seller_dashboard")
    return render(request, "seller/shops/store_form.html", {"form": form, "merchant": merchant})


# --- products -------------------------------------------------------------------------------------------------


@require_safe
@seller_view(Capability.MANAGE_CATALOG)
def product_list(request):
    products = request.store.products.select_related("category").order_by("-id")
    q = (request.GET.get("q") or "").strip()
    if q:
        products = products.filter(title__icontains=q) | products.filter(skus__code__iexact=q)
    status = request.GET.get("status")
    if status in Product.Status.values:
        products = products.filter(status=status)
    from django.core.paginator import Paginator

    page = Paginator(products.distinct(), 50).get_page(request.GET.get("page"))
    return render(request, "seller/shops/products.html", {"page": page, "q": q, "status": status or ""})


@seller_view(Capability.MANAGE_CATALOG)
def product_create(request):
    form = forms.ProductForm(request.POST or None, request.FILES or None)
    del form.fields["clear_gallery"]  # nothing to remove yet
    formset = forms.SKUFormSet(request.POST or None, prefix="sku")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        skus = [sku.cleaned_data for sku in formset if sku.cleaned_data and not sku.is_blank()]
        data = form.service_fields()
        try:
            product = services.create_product(store=request.store, skus=skus, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Product created."))
            return redirect("shops:seller_product", pk=product.pk)
    return render(request, "seller/shops/product_form.html", {"form": form, "formset": formset})


def _own_product(request, pk: int) -> Product:
    return get_object_or_404(Product.objects.select_related("category"), pk=pk, store=request.store)


@seller_view(Capability.MANAGE_CATALOG)
def product_edit(request, pk: int):
    product = _own_product(request, pk)
    initial = {field: getattr(product, field) for field in services.PRODUCT_FIELDS}
    initial["category"] = product.category_id
    form = forms.ProductForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_product(store=request.store, product=product, **form.service_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Product saved."))
            return redirect("shops:seller_product", pk=product.pk)
    return render(request, "seller/shops/product_edit.html", _product_context(request, product, form))


def _product_context(request, product: Product, form, sku_form=None, stock_errors=None) -> dict:
    skus = list(product.skus.order_by("id"))
    outlets = list(request.store.outlets.order_by("name"))
    levels = selectors.stock_rows_for(product)
    grid = []
    for sku in skus:
        cells = [{"name": f"stock:{sku.pk}:w:{StockPool.ONLINE}", "label": _("Warehouse"),
                  "value": levels.get((sku.pk, None, StockPool.ONLINE), 0)}]  # fmt: skip
        for outlet in outlets:
            for pool, label in ((StockPool.OUTLET, _("outlet-only")), (StockPool.SHARED, _("shared"))):
                cells.append({"name": f"stock:{sku.pk}:{outlet.pk}:{pool}", "label": f"{outlet.name} · {label}",
                              "value": levels.get((sku.pk, outlet.pk, pool), 0)})  # fmt: skip
        grid.append({"sku": sku, "cells": cells})
    return {
        "product": product,
        "form": form,
        "sku_form": sku_form or forms.SKUForm(prefix="new"),
        "skus": skus,
        "outlets": outlets,
        "grid": grid,
        "stock_errors": stock_errors or [],
    }


@require_POST
@seller_view(Capability.MANAGE_CATALOG)
def sku_save(request, pk: int, sku_pk: int | None = None):
    product = _own_product(request, pk)
    sku = get_object_or_404(SKU, pk=sku_pk, product=product) if sku_pk else None
    sku_form = forms.SKUForm(request.POST, prefix="new" if sku is None else f"sku{sku.pk}")
    if sku_form.is_valid() and not sku_form.is_blank():
        data = sku_form.cleaned_data
        try:
            with transaction.atomic():
                saved = services.save_sku(product=product, sku=sku, code=data["code"], price=data["price"],
                                          attributes=data["attributes"], is_active=data["is_active"],
                                          per_shopper_limit=data["per_shopper_limit"])  # fmt: skip
                if sku is None and data.get("stock") is not None:
                    services.set_stock(sku=saved, outlet=None, pool=StockPool.ONLINE, quantity=data["stock"])
        except DomainError as error:
            sku_form.add_error(None, error.message)
        else:
            messages.success(request, _("SKU saved."))
            return redirect("shops:seller_product", pk=product.pk)
    elif sku_form.is_valid():
        sku_form.add_error("code", _("Each SKU needs a code."))
    messages.error(request, _("The SKU was not saved: %(errors)s") % {"errors": _errors_text(sku_form)})
    form = forms.ProductForm(initial={"title": product.title, "category": product.category_id})
    return render(request, "seller/shops/product_edit.html", _product_context(request, product, form, sku_form),
                  status=400)  # fmt: skip


def _errors_text(form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


@require_POST
@seller_view(Capability.MANAGE_CATALOG)
def stock_save(request, pk: int):
    """The stock grid: every cell is saved, or none is (a bad cell shows its error)."""
    product = _own_product(request, pk)
    skus = {sku.pk: sku for sku in product.skus.all()}
    outlets = {outlet.pk: outlet for outlet in request.store.outlets.all()}
    errors = []
    try:
        with transaction.atomic():
            for name, value in request.POST.items():
                if not name.startswith("stock:"):
                    continue
                _prefix, sku_id, location, pool = name.split(":", 3)
                sku = skus.get(int(sku_id)) if sku_id.isdigit() else None
                outlet = None if location == "w" else outlets.get(int(location)) if location.isdigit() else False
                if sku is None or outlet is False or (location != "w" and outlet is None):
                    raise DomainError(_("Unknown SKU or location."), status_code=404)
                try:
                    services.set_stock(sku=sku, outlet=outlet, pool=pool, quantity=value)
                except DomainError as error:
                    where = outlet.name if outlet else _("Warehouse")
                    errors.append(f"{sku.code} @ {where}: {error.message}")
            if errors:
                raise DomainError("; ".join(errors))
    except DomainError as error:
        messages.error(request, _("Stock was not saved: %(errors)s") % {"errors": error.message})
        form = forms.ProductForm(initial={"title": product.title, "category": product.category_id})
        return render(request, "seller/shops/product_edit.html",
                      _product_context(request, product, form, stock_errors=errors or [error.message]),
                      status=400 if error.status_code == 400 else 404)  # fmt: skip
    messages.success(request, _("Stock saved."))
    return redirect("shops:seller_product", pk=product.pk)


# --- outlets --------------------------------------------------------------------------------------------------


@require_safe
@seller_view(Capability.MANAGE_CATALOG)
def outlet_list(request):
    return render(request, "seller/shops/outlets.html", {"outlets": request.store.outlets.order_by("name")})


@seller_view(Capability.MANAGE_CATALOG)
def outlet_edit(request, pk: int | None = None):
    outlet = get_object_or_404(Outlet, pk=pk, store=request.store) if pk else None
    initial = {name: getattr(outlet, name) for name in services.OUTLET_FIELDS} if outlet else None
    form = forms.OutletForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_outlet(store=request.store, outlet=outlet, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Outlet saved."))
            return redirect("shops:seller_outlets")
    return render(request, "seller/shops/outlet_form.html", {"form": form, "outlet": outlet})


# --- holiday closures -----------------------------------------------------------------------------------------


@seller_view(Capability.MANAGE_STORE)
def closures(request):
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_closure(store=request.store, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Closure scheduled. Your ranking is not affected."))
            return redirect("shops:seller_closures")
    rows = request.store.closures.order_by("-starts_on")
    return render(request, "seller/shops/closures.html", {"form": form, "closures": rows,
                                                           "active": request.store.active_closure()})  # fmt: skip


@require_POST
@seller_view(Capability.MANAGE_STORE)
def closure_end(request, pk: int):
    services.end_closure(get_object_or_404(StoreClosure, pk=pk, store=request.store))
    messages.success(request, _("The store is open again."))
    return redirect("shops:seller_closures")


# --- staff ----------------------------------------------------------------------------------------------------


@seller_view(Capability.MANAGE_STORE)
def staff(request):
    form = forms.StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_staff(store=request.store, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Staff saved."))
            return redirect("shops:seller_staff")
    members = request.store.staff.select_related("user").order_by("role", "user__username")
    return render(request, "seller/shops/staff.html", {"form": form, "members": members})


@require_POST
@seller_view(Capability.MANAGE_STORE)
def staff_remove(request, pk: int):
    member = get_object_or_404(StoreStaff, pk=pk, store=request.store)
    try:
        services.remove_staff(member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed from the store."))
    return redirect("shops:seller_staff")


# --- brand authorization (Tmall) ------------------------------------------------------------------------------


@seller_view(Capability.MANAGE_STORE)
def brand_authorization(request):
    form = forms.BrandAuthorizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_brand_authorization(store=request.store, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Submitted. An operator will review it."))
            return redirect("shops:seller_brand")
    submissions = request.store.brand_authorizations.order_by("-submitted_at")
    return render(request, "seller/shops/brand.html", {"form": form, "submissions": submissions,
                                                        "is_tmall": request.store.brand == Brand.TMALL})  # fmt: skip


# --- CSV import -----------------------------------------------------------------------------------------------


@seller_view(Capability.MANAGE_CATALOG)
def imports(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        filename, content = form.cleaned_data["file"]
        try:
            job = importer.create_job(store=request.store, user=request.user, filename=filename, content=content)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("shops:seller_import", pk=job.pk)
    jobs = request.store.import_jobs.order_by("-created_at")[:20]
    return render(request, "seller/shops/imports.html", {"form": form, "jobs": jobs, "columns": importer.COLUMNS})


@require_safe
@seller_view(Capability.MANAGE_CATALOG)
def import_template(request):
    """A CSV to start from: the header and two SKUs of one product plus a single-SKU product."""
    sample = (
        ",".join(importer.COLUMNS) + "\n"
        "D1,夏季碎花连衣裙,Summer floral dress,雪纺面料,dresses,FD-S,颜色=红; 尺码=S,199.00,20\n"
        "D1,夏季碎花连衣裙,Summer floral dress,雪纺面料,dresses,FD-M,颜色=红; 尺码=M,199.00,15\n"
        ",纯棉T恤,Cotton T-shirt,,tshirts,TS-1,,59.00,100\n"
    )
    response = HttpResponse("\ufeff" + sample, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="products-template.csv"'
    return response


@require_safe
@seller_view(Capability.MANAGE_CATALOG)
def import_detail(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk, store=request.store)
    context = {"job": job, "progress": importer.progress(job)}
    if request.htmx:
        return render(request, "seller/shops/_import_progress.html", context)
    return render(request, "seller/shops/import_detail.html", context)


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
