"""The pricing calls cart, checkout, flash orders, the quote API and the console previews make: load what is in force,
build the engine request, price it (leaving out campaigns whose budget cannot pay) and map the result back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import ZERO
from promotions import engine
from promotions.adapter.explanations import coupon_options, coupon_refusal, map_result
from promotions.adapter.loading import PricingContext, coupon_category_slugs, load_context, resolve_choice
from promotions.adapter.mapping import build_request
from promotions.adapter.results import SOURCE_CAMPAIGN, CartItemInput, PricedCart, parse_source
from promotions.models import Campaign, CouponTemplate, IssuedCoupon


def price_cart(*, shopper, items: list[CartItemInput], coupon_choice="best", at=None) -> PricedCart:
    """Price ``items`` for ``shopper`` (a User or None/anonymous) with every promotion in force at ``at`` (now).

    ``coupon_choice`` is "best" (the engine picks the exactly optimal combination of held coupons) or a list of
    IssuedCoupon ids to use as given; a coupon that is not the shopper's, not usable or does not apply to this cart
    raises DomainError and nothing is priced.
    """
    at = at or timezone.now()
    check_items(items)
    if not items:
        return PricedCart(lines=[], stores=[], subtotal=ZERO, discount=ZERO, payable=ZERO, at=at)
    context = load_context(shopper, items, at)
    chosen = resolve_choice(shopper, coupon_choice, context.coupons, at)
    return price_in_context(context, items, at, chosen)


def price_without_coupons(
    *, items: list[CartItemInput], first_order_stores: Iterable[frozenset[int]], at=None
) -> dict[frozenset[int], PricedCart]:
    """One cart priced for many shoppers at once, no coupons (flash-sale orders written in batches behind the
    Redis admission): the promotions are loaded once, and the only shopper-dependent input left, the stores where
    the shopper has no order yet, is given per shopper. Returns one priced cart per distinct set."""
    at = at or timezone.now()
    check_items(items)
    context = load_context(None, items, at)
    chosen = resolve_choice(None, [], {}, at)
    return {
        stores: price_in_context(replace(context, first_order_stores=set(stores)), items, at, chosen)
        for stores in set(first_order_stores)
    }


def preview_cart(
    *, items: list[CartItemInput], at=None, campaign: Campaign | None = None, template: CouponTemplate | None = None
) -> PricedCart:
    """Operator preview: price a sample cart for no particular shopper with the promotions in force at ``at``, plus
    ``campaign`` (even unsaved, inactive or not yet started; without enrollments every store of its brands takes
    part) and a coupon of ``template`` as if the sample shopper held it."""
    at = at or preview_time(campaign)
    check_items(items)
    if not items:
        return PricedCart(lines=[], stores=[], subtotal=ZERO, discount=ZERO, payable=ZERO, at=at)
    context = load_context(None, items, at)
    if campaign is not None:
        key = campaign.pk or 0
        context.campaigns[key] = campaign
        enrolled = set(context.store_brands)
        if campaign.pk and campaign.enrollments.exists():
            enrolled &= set(campaign.enrollments.values_list("store_id", flat=True))
        context.enrolled[key] = enrolled
    if template is not None:
        valid_from, valid_to = template.validity_for_claim(at)
        sample = IssuedCoupon(pk=0, template=template, valid_from=valid_from, valid_to=valid_to)
        context.coupons[0] = sample
        context.coupon_category_slugs.update(coupon_category_slugs([template]))
    return price_in_context(context, items, at, "best")


def preview_time(campaign: Campaign | None):
    """Now, or when the campaign starts if it is not running now (so a future campaign previews as it will be)."""
    now = timezone.now()
    if campaign is None or campaign.starts_at is None or campaign.starts_at <= now < (campaign.ends_at or now):
        return now
    return campaign.starts_at


def price_in_context(context: PricingContext, items, at, chosen) -> PricedCart:
    excluded: set[int] = set()
    while True:
        request = build_request(context, items, at, chosen, excluded)
        result = run_engine(request, context)
        over_budget = campaigns_over_budget(result, context)
        if not over_budget:
            break
        # A campaign whose remaining budget cannot fund its part is left out, so the shopper never sees a
        # discount that checkout would refuse.
        excluded |= over_budget
    priced = map_result(result, items, context, at)
    priced.coupon_options = coupon_options(context, items, at, priced, excluded)
    return priced


def check_items(items: list[CartItemInput]) -> None:
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise DomainError(_("Each cart line needs its own key."), code="duplicate_line")
    for item in items:
        if not isinstance(item.quantity, int) or item.quantity < 1:
            raise DomainError(_("Quantity must be at least 1."), code="invalid_quantity")


def run_engine(request: engine.QuoteRequest, context: PricingContext) -> engine.QuoteResult:
    try:
        return engine.quote(request)
    except engine.UnusableCouponError as exc:
        raise DomainError(coupon_refusal(exc, context), code="coupon_not_applicable") from exc
    except engine.QuoteInputError as exc:  # our own data broke a rule of the engine: say what, never a 500
        raise DomainError(_("This cart cannot be priced: %(error)s") % {"error": exc.message}, code="pricing") from exc


def campaigns_over_budget(result: engine.QuoteResult, context: PricingContext) -> set[int]:
    over = set()
    for applied in result.applied:
        kind, pk = parse_source(applied.source)
        if kind != SOURCE_CAMPAIGN:
            continue
        remaining = context.campaigns[pk].remaining_budget if context.campaigns[pk].pk else None
        if remaining is not None and applied.platform_funded > remaining:
            over.add(pk)
    return over
