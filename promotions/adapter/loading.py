"""Loading what is in force for one cart: the promotions, the shopper's usable coupons, the stores where the
shopper has no order yet, and the check of a chosen list of coupons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import router
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from promotions.adapter.results import CartItemInput
from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon, StorePromotion
from promotions.signals import first_order_stores_requested, live_featured_products_requested
from shops.models import SKU, Category, Product, Store


@dataclass
class PricingContext:
    shopper: object
    store_brands: dict[int, str]
    categories: dict[int, str]  # sku id -> category slug
    campaigns: dict[int, Campaign]
    enrolled: dict[int, set[int]]  # campaign id -> enrolled store ids
    promotions: dict[int, StorePromotion]
    promotion_skus: dict[int, list[int]]
    coupons: dict[int, IssuedCoupon]  # the shopper's held coupons in force
    coupon_category_slugs: dict[int, tuple[str, ...]]  # template id -> slugs covered (whole subtrees)
    first_order_stores: set[int]
    # live-price promotion id -> the SKU ids it may price: featured in its stream, live now, bought in that room
    live_price_skus: dict[int, set[int]] = field(default_factory=dict)


def load_context(shopper, items: list[CartItemInput], at) -> PricingContext:
    skus = {item.sku.pk: item.sku for item in items}
    if all(relations_loaded(sku) for sku in skus.values()):
        sku_rows = list(skus.values())  # read with their store and category by the caller (the cart, checkout)
    else:
        sku_rows = SKU.objects.filter(pk__in=skus).select_related("store", "product__category")
    store_brands = {sku.store_id: sku.store.brand for sku in sku_rows}
    sku_products = {sku.pk: sku.product_id for sku in sku_rows}
    categories = {sku.pk: sku.product.category.slug for sku in sku_rows}
    if len(categories) != len(skus):
        raise DomainError(_("A product in the cart no longer exists."), code="unknown_sku")
    store_ids = set(store_brands)
    campaigns = {c.pk: c for c in Campaign.objects.filter(is_active=True, starts_at__lte=at, ends_at__gte=at)}
    enrolled: dict[int, set[int]] = {pk: set() for pk in campaigns}
    for campaign_id, store_id in CampaignEnrollment.objects.filter(
        campaign_id__in=campaigns, store_id__in=store_ids
    ).values_list("campaign_id", "store_id"):
        enrolled[campaign_id].add(store_id)
    promotions = {
        p.pk: p
        for p in StorePromotion.objects.filter(store_id__in=store_ids, is_active=True).prefetch_related("skus")
        if p.in_force(at)
    }
    promotion_skus = {pk: [sku.pk for sku in p.skus.all()] for pk, p in promotions.items()}
    live_price_skus = live_prices_in_reach(promotions, promotion_skus, items, sku_products)
    coupons = held_coupons(shopper, at)
    return PricingContext(
        shopper=shopper,
        store_brands=store_brands,
        categories=categories,
        campaigns=campaigns,
        enrolled=enrolled,
        promotions=promotions,
        promotion_skus=promotion_skus,
        coupons=coupons,
        coupon_category_slugs=coupon_category_slugs({c.template for c in coupons.values()}),
        first_order_stores=first_order_stores_for_gifts(shopper, store_ids, promotions.values()),
        live_price_skus=live_price_skus,
    )


def relations_loaded(sku: SKU) -> bool:
    """The SKU came with its store and its product's category (``select_related``), as the cart reads its lines."""
    return (
        SKU.store.is_cached(sku)
        and SKU.product.is_cached(sku)
        and Product.category.is_cached(sku.product)
        and sku.product.category is not None
    )


def live_source(source: str) -> int | None:
    """The stream id of a line bought in a live room (source ``live:<id>``), else None."""
    prefix, _sep, rest = (source or "").partition(":")
    return int(rest) if prefix == "live" and rest.isdigit() else None


def live_prices_in_reach(promotions, promotion_skus, items, sku_products) -> dict[int, set[int]]:
    """For each live price (an item discount tied to a stream): the SKUs it may price in this cart. Only SKUs of
    lines bought in that stream's room, of a product the stream features, while the stream is live: a live price
    never reaches a purchase made from the normal product page, so that page and the cart agree."""
    live = {pk: p.live_stream_id for pk, p in promotions.items() if p.live_stream_id is not None}
    if not live:
        return {}
    bought_in_room: dict[int, set[int]] = {}
    for item in items:
        stream_id = live_source(item.source)
        if stream_id is not None:
            bought_in_room.setdefault(stream_id, set()).add(item.sku.pk)
    wanted = set(live.values()) & set(bought_in_room)
    featured: dict[int, set[int]] = {}
    if wanted:
        for _receiver, answer in live_featured_products_requested.send(sender=None, stream_ids=set(wanted)):
            for stream_id, product_ids in (answer or {}).items():
                if stream_id in wanted:
                    featured.setdefault(stream_id, set()).update(product_ids)
    return {
        pk: {
            sku_id
            for sku_id in promotion_skus[pk]
            if sku_id in bought_in_room.get(stream_id, ()) and sku_products.get(sku_id) in featured.get(stream_id, ())
        }
        for pk, stream_id in live.items()
    }


def is_shopper(shopper) -> bool:
    return bool(shopper is not None and getattr(shopper, "is_authenticated", False))


def held_coupons(shopper, at) -> dict[int, IssuedCoupon]:
    """The shopper's coupons that could be used now (claimed or returned, inside their validity window), each
    template with its store and category restrictions loaded."""
    if not is_shopper(shopper):
        return {}
    rows = (
        IssuedCoupon.objects.filter(shopper=shopper, status__in=IssuedCoupon.USABLE_STATUSES)
        .select_related("template", "template__store")
        .order_by("id")
    )
    coupons = {coupon.pk: coupon for coupon in rows if coupon.usable_at(at)}
    load_restrictions([coupon.template for coupon in coupons.values()])
    return coupons


def load_restrictions(templates: list[CouponTemplate]) -> None:
    """``template.stores`` and ``template.categories`` of every template, as ``prefetch_related`` would leave
    them, read as pairs from the link tables (the prefetch machinery cost more than the two queries). The rows
    carry their id only: pricing reads nothing else, and any other field is read from the database on access."""
    if not templates:
        return
    for relation, model in (("stores", Store), ("categories", Category)):
        link = getattr(CouponTemplate, relation).through
        target = model._meta.model_name
        ids: dict[int, list[int]] = {template.pk: [] for template in templates}
        for template_id, target_id in (
            link.objects.filter(coupontemplate_id__in=list(ids))
            .order_by("pk")
            .values_list("coupontemplate_id", f"{target}_id")
        ):
            ids[template_id].append(target_id)
        db = router.db_for_read(model)
        for template in templates:
            queryset = getattr(template, relation).all()
            queryset._result_cache = [model.from_db(db, ["id"], (pk,)) for pk in ids[template.pk]]
            queryset._prefetch_done = True
            template.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def coupon_category_slugs(templates: Iterable[CouponTemplate]) -> dict[int, tuple[str, ...]]:
    """A category restriction covers the chosen categories and everything below them (vertical or leaf)."""
    restricted = [t for t in templates if t.kind == CouponTemplate.Kind.PLATFORM_COUPON]
    chosen = {t.pk: [c.pk for c in t.categories.all()] for t in restricted}
    if not any(chosen.values()):
        return {}
    children: dict[int | None, list[int]] = {}
    slugs: dict[int, str] = {}
    for pk, parent_id, slug in Category.objects.values_list("pk", "parent_id", "slug"):
        children.setdefault(parent_id, []).append(pk)
        slugs[pk] = slug
    result = {}
    for template_id, roots in chosen.items():
        if not roots:
            continue
        covered, stack = set(), list(roots)
        while stack:
            pk = stack.pop()
            if pk not in covered:
                covered.add(pk)
                stack.extend(children.get(pk, []))
        result[template_id] = tuple(sorted(slugs[pk] for pk in covered))
    return result


def first_order_stores(shopper, store_ids: set[int]) -> set[int]:
    """The stores of ``store_ids`` where the shopper has no order yet (first-order gifts). orders knows and answers
    the signal; with no receiver every store counts as a first order, with several a store must pass them all."""
    stores = set(store_ids)
    for _receiver, answer in first_order_stores_requested.send(sender=None, shopper=shopper, store_ids=set(stores)):
        stores &= set(answer)
    return stores


def first_order_stores_for_gifts(shopper, store_ids: set[int], promotions: Iterable[StorePromotion]) -> set[int]:
    """first_order_stores, where a store whose first-order gift is for shoppers new to the whole merchant stays a
    first order only if the shopper has no order at any store of that merchant (both brands)."""
    gifts = [promotion for promotion in promotions if promotion.kind == StorePromotion.Kind.FIRST_ORDER_GIFT]
    if not gifts:
        return set()  # only first-order gifts read it: no gift of these stores in force, nothing to ask
    stores = first_order_stores(shopper, store_ids)
    merchant_wide = {
        promotion.store_id
        for promotion in gifts
        if promotion.first_order_scope == StorePromotion.FirstOrderScope.MERCHANT
    } & stores
    if not merchant_wide:
        return stores
    merchant_of = dict(Store.objects.filter(pk__in=merchant_wide).values_list("pk", "merchant_id"))
    siblings: dict[int, set[int]] = {}
    for pk, merchant_id in Store.objects.filter(merchant_id__in=set(merchant_of.values())).values_list(
        "pk", "merchant_id"
    ):
        siblings.setdefault(merchant_id, set()).add(pk)
    new_everywhere = first_order_stores(shopper, set().union(*siblings.values()))
    return {pk for pk in stores if pk not in merchant_wide or siblings[merchant_of[pk]] <= new_everywhere}


def resolve_choice(shopper, coupon_choice, held: dict[int, IssuedCoupon], at):
    """ "best", or the engine ids of the chosen coupons after checking each is the shopper's and still usable."""
    if coupon_choice == "best" or coupon_choice is None:
        return "best"
    if isinstance(coupon_choice, str) or not isinstance(coupon_choice, list | tuple):
        raise DomainError(_('Choose "best" or a list of coupon ids.'), code="invalid_coupon_choice")
    ids = []
    for value in coupon_choice:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
            raise DomainError(_("Coupon ids must be whole numbers."), code="invalid_coupon_choice")
        if value in ids:
            raise DomainError(_("A coupon can be chosen only once."), code="coupon_chosen_twice")
        ids.append(value)
    for coupon_id in ids:
        if coupon_id not in held:
            raise DomainError(unusable_coupon_message(shopper, coupon_id, at), code="coupon_unusable")
    return tuple(f"ic{coupon_id}" for coupon_id in ids)


def unusable_coupon_message(shopper, coupon_id: int, at) -> str:
    coupon = None
    if is_shopper(shopper):
        coupon = IssuedCoupon.objects.filter(pk=coupon_id, shopper=shopper).select_related("template").first()
    if coupon is None:
        return _("Coupon %(id)s is not one of your coupons.") % {"id": coupon_id}
    name = coupon.template.name
    if coupon.status == IssuedCoupon.Status.USED:
        return _("The coupon “%(name)s” has already been used.") % {"name": name}
    if coupon.valid_from and at < coupon.valid_from:
        return _("The coupon “%(name)s” is not valid yet.") % {"name": name}
    return _("The coupon “%(name)s” has expired.") % {"name": name}
