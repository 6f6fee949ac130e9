"""Writes of shipping templates (运费模板): create/edit with the rule checked by shops.shipping, one store default,
assignment to the store's own products, deletion (its products fall back to the store default)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from shops import caching, shipping
from shops.lock_objects import locked_store
from shops.models import Product, ShippingTemplate, Store

TEMPLATE_FIELDS = ("name", "mode", "free_over", "first_fee", "additional_fee", "is_default")


def clean_regions(regions) -> list[dict]:
    """Regions as the merchant's text lines or as JSON rows; stored as JSON rows."""
    try:
        parsed = shipping.parse_regions(regions) if isinstance(regions, str) else shipping.regions_from_json(regions)
    except shipping.RuleError as exc:
        raise DomainError(_("Regions: %(problem)s") % {"problem": exc}, code="invalid_regions") from None
    return shipping.regions_to_json(parsed)


def _money(value, label) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return shipping.parse_money(value)
    except shipping.RuleError:
        raise DomainError(
            _("%(field)s must be an amount of 0 or more.") % {"field": label}, code="invalid_fee"
        ) from None


@transaction.atomic
def save_template(
    *, store: Store, template: ShippingTemplate | None = None, products: list[int] | None = None, **fields
) -> ShippingTemplate:
    """Create or change a template; ``products`` (ids of this store's products), when given, become exactly the
    products that use it."""
    if template is not None and template.store_id != store.pk:
        raise DomainError(_("Shipping template not found."), code="not_found", status_code=404)
    locked_store(store)  # one default per store, changed in turn
    template = template or ShippingTemplate(store=store)
    for name in TEMPLATE_FIELDS:
        if name in fields and fields[name] is not None:
            setattr(template, name, fields[name])
    if "regions" in fields and fields["regions"] is not None:
        template.regions = clean_regions(fields["regions"])
    template.name = (template.name or "").strip()
    if not template.name:
        raise DomainError(_("Give the template a name."), code="template_incomplete")
    if template.mode not in ShippingTemplate.Mode.values:
        raise DomainError(_("Choose free shipping, free over an amount or by region."), code="invalid_mode")
    template.first_fee = _money(template.first_fee, _("First unit")) or Decimal("0.00")
    template.additional_fee = _money(template.additional_fee, _("Each additional unit")) or Decimal("0.00")
    template.free_over = _money(template.free_over, _("Free over"))
    if template.mode != ShippingTemplate.Mode.FREE_OVER:
        template.free_over = None
    elif not template.free_over:
        raise DomainError(_("Free over needs an amount above 0."), code="invalid_free_over")
    if ShippingTemplate.objects.filter(store=store, name=template.name).exclude(pk=template.pk).exists():
        raise DomainError(_("This store already has a template of that name."), code="duplicate_template")
    try:
        template.rule()
    except shipping.RuleError as exc:
        raise DomainError(str(exc), code="invalid_template") from None
    if template.is_default:
        ShippingTemplate.objects.filter(store=store, is_default=True).exclude(pk=template.pk).update(is_default=False)
    template.save()
    if products is not None:
        assign(template, products)
    caching.after_write(caching.bump_catalog)
    return template


def assign(template: ShippingTemplate, product_ids: list[int]) -> None:
    ids = {int(pk) for pk in product_ids}
    own = set(Product.objects.filter(store_id=template.store_id, pk__in=ids).values_list("pk", flat=True))
    if own != ids:  # another store's product looks exactly like a missing one
        raise DomainError(_("Choose products of this store."), code="unknown_product")
    Product.objects.filter(shipping_template=template).exclude(pk__in=ids).update(shipping_template=None)
    Product.objects.filter(pk__in=ids).update(shipping_template=template)


@transaction.atomic
def delete_template(template: ShippingTemplate) -> None:
    """Its products use the store default again (or ship free without one)."""
    template.delete()
    caching.after_write(caching.bump_catalog)
