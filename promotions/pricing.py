"""The adapter between the database and the pure pricing engine: what cart, checkout and previews call.

``price_cart`` loads the promotions in force and the shopper's usable coupons, builds the engine request, prices it
and maps the result back to model ids. Engine ids: stores ``s<id>``, SKUs ``k<id>``, campaigns ``c<id>``, store
promotions ``sp<id>``, issued coupons ``ic<id>``; a line's id is the caller's item key.

Hook: ``first_order_stores_provider(shopper, store_ids) -> set[int]`` says in which of ``store_ids`` the shopper
has never placed an order (first-order gifts). promotions cannot import orders (apps depend leftwards), so orders
sets this at start-up; until it does, every store counts as a first order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import ZERO
from promotions import engine
from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon, StorePromotion
from shops.models import SKU, Category

FirstOrderProvider = Callable[[object, set[int]], set[int]]

# Set by orders: (shopper, store ids in the cart) -> the store ids where the shopper has no order yet.
first_order_stores_provider: FirstOrderProvider | None = None


@dataclass
class CartItemInput:
    key: str
    sku: SKU
    quantity: int
    source: str = ""


@dataclass(frozen=True)
class LineDiscount:
    lane: str  # item | store | cross_store | platform | red_packet
    source_kind: str  # campaign | store_promotion | coupon
    source_id: int  # Campaign / StorePromotion / IssuedCoupon id
    label: str
    amount: Decimal
    platform_funded: Decimal
    merchant_funded: Decimal


@dataclass(frozen=True)
class PricedLine:
    key: str
    sku_id: int
    store_id: int
    quantity: int
    unit_price: Decimal
    subtotal: Decimal
    base: Decimal
    payable: Decimal
    discounts: list[LineDiscount]

    @property
    def discount(self) -> Decimal:
        return self.subtotal - self.payable


@dataclass(frozen=True)
class PricedStore:
    store_id: int
    subtotal: Decimal
    discount: Decimal
    payable: Decimal


@dataclass(frozen=True)
class Hint:
    label: str
    spend_more: Decimal
    save: Decimal
    source_kind: str = ""
    source_id: int | None = None


@dataclass(frozen=True)
class CouponOption:
    coupon_id: int
    label: str
    lane: str
    selected: bool
    usable: bool
    reason: str = ""


@dataclass
class PricedCart:
    lines: list[PricedLine]
    stores: list[PricedStore]
    subtotal: Decimal
    discount: Decimal
    payable: Decimal
    hints: list[Hint] = field(default_factory=list)
    coupons_used: list[int] = field(default_factory=list)
    coupon_options: list[CouponOption] = field(default_factory=list)
    at: datetime.datetime | None = None

    def line(self, key: str) -> PricedLine:
        return next(line for line in self.lines if line.key == key)

    def store(self, store_id: int) -> PricedStore:
        return next(store for store in self.stores if store.store_id == store_id)

    def campaign_platform_funding(self) -> dict[int, Decimal]:
        """campaign id -> platform-funded amount over all lines (what the campaign's budget pays)."""
        spend: dict[int, Decimal] = {}
        for line in self.lines:
            for discount in line.discounts:
                if discount.source_kind == SOURCE_CAMPAIGN:
                    spend[discount.source_id] = spend.get(discount.source_id, ZERO) + discount.platform_funded
        return spend


SOURCE_CAMPAIGN = "campaign"
SOURCE_STORE_PROMOTION = "store_promotion"
SOURCE_COUPON = "coupon"
_PREFIXES = (("sp", SOURCE_STORE_PROMOTION), ("ic", SOURCE_COUPON), ("c", SOURCE_CAMPAIGN))

COUPON_LANES = {
    CouponTemplate.Kind.STORE_COUPON: "store",
    CouponTemplate.Kind.PLATFORM_COUPON: "platform",
    CouponTemplate.Kind.RED_PACKET: "red_packet",
}


def parse_source(source: str) -> tuple[str, int]:
    for prefix, kind in _PREFIXES:
        if source.startswith(prefix) and source[len(prefix) :].isdigit():
            return kind, int(source[len(prefix) :])
    raise ValueError(f"unknown engine source {source!r}")


# ---------------------------------------------------------------------------------------------------------------
# Entry point


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


# ---------------------------------------------------------------------------------------------------------------
# Loading what is in force


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


def load_context(shopper, items: list[CartItemInput], at) -> PricingContext:
    skus = {item.sku.pk: item.sku for item in items}
    sku_rows = SKU.objects.filter(pk__in=skus).select_related("store", "product__category")
    store_brands = {sku.store_id: sku.store.brand for sku in sku_rows}
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
        first_order_stores=first_order_stores(shopper, store_ids),
    )


def is_shopper(shopper) -> bool:
    return bool(shopper is not None and getattr(shopper, "is_authenticated", False))


def held_coupons(shopper, at) -> dict[int, IssuedCoupon]:
    """The shopper's coupons that could be used now (claimed or returned, inside their validity window)."""
    if not is_shopper(shopper):
        return {}
    rows = (
        IssuedCoupon.objects.filter(shopper=shopper, status__in=IssuedCoupon.USABLE_STATUSES)
        .select_related("template", "template__store")
        .prefetch_related("template__stores", "template__categories")
        .order_by("id")
    )
    return {coupon.pk: coupon for coupon in rows if coupon.usable_at(at)}


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
    if first_order_stores_provider is None:
        return set(store_ids)
    return set(first_order_stores_provider(shopper, set(store_ids))) & store_ids


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


# ---------------------------------------------------------------------------------------------------------------
# Building the engine request


def build_request(context: PricingContext, items, at, chosen, excluded: set[int]) -> engine.QuoteRequest:
    shopper_id = str(getattr(context.shopper, "pk", None) or "anonymous")
    return engine.QuoteRequest(
        at=at,
        shopper=engine.Shopper(
            id=shopper_id, first_order_stores=frozenset(f"s{pk}" for pk in context.first_order_stores)
        ),
        # stores in the order the cart first mentions them, so the priced stores follow the cart
        stores=tuple(
            engine.Store(id=f"s{pk}", brand=context.store_brands[pk])
            for pk in dict.fromkeys(item.sku.store_id for item in items)
        ),
        lines=tuple(
            engine.Line(
                id=item.key,
                store=f"s{item.sku.store_id}",
                sku=f"k{item.sku.pk}",
                category=context.categories[item.sku.pk],
                unit_price=item.sku.price,
                quantity=item.quantity,
            )
            for item in items
        ),
        promotions=tuple(engine_promotions(context, excluded)),
        coupons=tuple(engine_coupon(context, coupon) for coupon in context.coupons.values()),
        coupon_choice=chosen,
    )


def engine_promotions(context: PricingContext, excluded: set[int]):
    for promotion in context.promotions.values():
        built = engine_store_promotion(promotion, context.promotion_skus[promotion.pk])
        if built is not None:
            yield built
    for campaign in context.campaigns.values():
        if (campaign.pk or 0) in excluded or budget_exhausted(campaign):
            continue
        yield engine.CrossStore(
            id=f"c{campaign.pk or 0}",
            valid_from=campaign.starts_at,
            valid_to=campaign.ends_at,
            exclusive=campaign.exclusive,
            platform_share=campaign.platform_share,
            every=campaign.every,
            off=campaign.off,
            cap=campaign.cap,
            stores=tuple(f"s{pk}" for pk in sorted(context.enrolled[campaign.pk or 0])),
            brands=tuple(campaign.brands) or None,
        )


def budget_exhausted(campaign: Campaign) -> bool:
    return campaign.platform_share > 0 and campaign.budget is not None and campaign.spent >= campaign.budget


def engine_store_promotion(promotion: StorePromotion, sku_ids: list[int]):
    common = {
        "id": f"sp{promotion.pk}",
        "valid_from": promotion.valid_from,
        "valid_to": promotion.valid_to,
        "exclusive": promotion.exclusive,
    }
    kind = promotion.kind
    if kind == StorePromotion.Kind.ITEM_DISCOUNT:
        if not sku_ids or promotion.value is None or promotion.discount_type not in StorePromotion.DiscountType.values:
            return None
        return engine.ItemDiscount(
            **common, skus=tuple(f"k{pk}" for pk in sku_ids), **{promotion.discount_type: promotion.value}
        )
    store = f"s{promotion.store_id}"
    if kind == StorePromotion.Kind.STORE_THRESHOLD:
        if promotion.tiers:
            tiers = tuple(engine.Tier(Decimal(t["threshold"]), Decimal(t["off"])) for t in promotion.tiers)
            return engine.StoreThreshold(**common, store=store, tiers=tiers)
        return engine.StoreThreshold(**common, store=store, every=promotion.every, off=promotion.off, cap=promotion.cap)
    return engine.FirstOrderGift(**common, store=store, off=promotion.off, threshold=promotion.threshold or ZERO)


def engine_coupon(context: PricingContext, coupon: IssuedCoupon):
    template = coupon.template
    common = {"id": f"ic{coupon.pk}", "valid_from": coupon.valid_from, "valid_to": coupon.valid_to}
    if template.kind == CouponTemplate.Kind.STORE_COUPON:
        return engine.StoreCoupon(
            **common, store=f"s{template.store_id}", threshold=template.threshold, off=template.off
        )
    if template.kind == CouponTemplate.Kind.RED_PACKET:
        return engine.RedPacket(**common, off=template.off)
    stores = tuple(f"s{store.pk}" for store in template.stores.all())
    return engine.PlatformCoupon(
        **common,
        threshold=template.threshold,
        off=template.off,
        brands=tuple(template.brands) or None,
        categories=context.coupon_category_slugs.get(template.pk),
        stores=stores or None,
    )


def run_engine(request: engine.QuoteRequest, context: PricingContext) -> engine.QuoteResult:
    try:
        return engine.quote(request)
    except engine.UnusableCouponError as exc:
        raise DomainError(coupon_refusal(exc, context), code="coupon_not_applicable") from exc
    except engine.QuoteInputError as exc:  # our own data broke a rule of the engine: say what, never a 500
        raise DomainError(_("This cart cannot be priced: %(error)s") % {"error": exc.message}, code="pricing") from exc


def coupon_refusal(exc: engine.UnusableCouponError, context: PricingContext) -> str:
    _kind, coupon_id = parse_source(exc.coupon_id)
    coupon = context.coupons.get(coupon_id)
    name = coupon.template.name if coupon else exc.coupon_id
    return _("The coupon “%(name)s” cannot be used: %(reason)s") % {"name": name, "reason": friendly_reason(exc.reason)}


def friendly_reason(reason: str) -> str:
    if "threshold" in reason:
        return _("the minimum spend is not met")
    if "exclusive" in reason:
        return _("an exclusive promotion in that store does not combine with coupons")
    if "second store coupon" in reason:
        return _("only one coupon per store can be used")
    if "second platform coupon" in reason:
        return _("only one platform coupon per order can be used")
    if "0.00" in reason:
        return _("nothing in the cart is eligible")
    if "not valid" in reason:
        return _("it is not valid now")
    return reason


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


# ---------------------------------------------------------------------------------------------------------------
# Mapping the result back


def source_label(context: PricingContext, source: str) -> str:
    kind, pk = parse_source(source)
    if kind == SOURCE_CAMPAIGN:
        return context.campaigns[pk].name
    if kind == SOURCE_STORE_PROMOTION:
        return context.promotions[pk].name
    return context.coupons[pk].template.name


def map_result(result: engine.QuoteResult, items, context: PricingContext, at) -> PricedCart:
    by_key = {item.key: item for item in items}
    lines = []
    for line in result.lines:
        item = by_key[line.id]
        lines.append(
            PricedLine(
                key=line.id,
                sku_id=item.sku.pk,
                store_id=item.sku.store_id,
                quantity=item.quantity,
                unit_price=item.sku.price,
                subtotal=line.subtotal,
                base=line.base,
                payable=line.payable,
                discounts=[
                    LineDiscount(
                        lane=str(d.lane),
                        source_kind=parse_source(d.source)[0],
                        source_id=parse_source(d.source)[1],
                        label=source_label(context, d.source),
                        amount=d.amount,
                        platform_funded=d.platform_funded,
                        merchant_funded=d.merchant_funded,
                    )
                    for d in line.discounts
                ],
            )
        )
    stores = [
        PricedStore(store_id=int(s.id[1:]), subtotal=s.subtotal, discount=s.discount, payable=s.payable)
        for s in result.stores
    ]
    hints = [
        Hint(
            label=source_label(context, h.source),
            spend_more=h.spend_more,
            save=h.save,
            source_kind=parse_source(h.source)[0],
            source_id=parse_source(h.source)[1],
        )
        for h in result.hints
    ]
    return PricedCart(
        lines=lines,
        stores=stores,
        subtotal=result.totals.subtotal,
        discount=result.totals.discount,
        payable=result.totals.payable,
        hints=hints,
        coupons_used=[parse_source(c)[1] for c in result.coupons_used],
        at=at,
    )


def coupon_options(context: PricingContext, items, at, priced: PricedCart, excluded: set[int]) -> list[CouponOption]:
    """Every held coupon, whether it is in use, and if it cannot be used with this cart, why (priced alone)."""
    options = []
    used = set(priced.coupons_used)
    for coupon in context.coupons.values():
        template = coupon.template
        usable, reason = True, ""
        if coupon.pk not in used:
            try:
                engine.quote(build_request(context, items, at, (f"ic{coupon.pk}",), excluded))
            except engine.UnusableCouponError as exc:
                usable, reason = False, friendly_reason(exc.reason)
        options.append(
            CouponOption(
                coupon_id=coupon.pk,
                label=f"{template.name} · {template.rule_label()}",
                lane=COUPON_LANES[template.kind],
                selected=coupon.pk in used,
                usable=usable,
                reason=reason,
            )
        )
    return options
