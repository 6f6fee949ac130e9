"""A stream's featured products, their live prices (through promotions) and the pinned product."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from livestream.lock_objects import locked_stream
from livestream.models import CreatorPolicy, FeaturedProduct, Stream
from livestream.services.common import MAX_FEATURED, broadcast, is_id
from marketplace.api import DomainError
from marketplace.money import to_money
from shops.models import Product


def feature_product(stream: Stream, product: Product | int, *, live_price=None) -> FeaturedProduct:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.is_ended:
            raise DomainError(_("Products cannot be added to an ended stream."), code="stream_ended")
        product = _product(product)
        commission = _check_host_may_feature(stream, product)
        if stream.featured.filter(product=product).exists():
            raise DomainError(_("This product is already in the stream."), code="already_featured")
        if stream.featured.count() >= MAX_FEATURED:
            raise DomainError(
                _("A stream features at most %(count)s products.") % {"count": MAX_FEATURED}, code="too_many"
            )
        position = (stream.featured.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        featured = FeaturedProduct.objects.create(
            stream=stream, product=product, position=position, commission_rate=commission
        )
        if live_price not in (None, ""):
            set_live_price(featured, live_price, stream=stream)
        broadcast(stream.pk, {"type": "products"})
    return featured


def _product(product) -> Product:
    if isinstance(product, Product):
        return product
    found = Product.objects.select_related("store").filter(pk=product).first() if is_id(product) else None
    if found is None:
        raise DomainError(_("No such product."), code="no_product")
    return found


def _check_host_may_feature(stream: Stream, product: Product) -> Decimal:
    """Returns the commission rate the featured product carries (creator streams only)."""
    if not product.is_active:
        raise DomainError(_("This product is off the shelf."), code="product_inactive")
    if stream.host_kind == Stream.HostKind.STORE:
        if product.store_id != stream.store_id:
            raise DomainError(_("A store stream features only the store's own products."), code="other_store")
        return Decimal("0")
    policy = CreatorPolicy.objects.filter(store_id=product.store_id).first()
    if policy is None or not policy.allows_creators:
        raise DomainError(
            _("%(store)s does not let creators feature its products.") % {"store": product.store.name},
            code="store_disallows_creators",
        )
    return policy.commission_rate


def set_live_price(featured: FeaturedProduct, live_price, *, stream: Stream | None = None) -> FeaturedProduct:
    """Give the product a live-only unit price (or remove it with None): an item discount of the product's store
    in promotions, tied to the stream and open only while it is live."""
    stream = stream or featured.stream
    if stream.is_ended:
        raise DomainError(_("Live prices cannot change after the stream ended."), code="stream_ended")
    if live_price in (None, ""):
        drop_live_price(featured)
        featured.live_price = None
        featured.save(update_fields=["live_price"])
        broadcast(stream.pk, {"type": "products"})
        return featured
    try:
        price = to_money(live_price)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Enter the live price as an amount, e.g. 89.00."), code="invalid_price") from exc
    cheapest = min((sku.price for sku in featured.product.skus.filter(is_active=True)), default=None)
    if cheapest is None:
        raise DomainError(_("This product has no SKU on sale."), code="no_sku")
    if not Decimal("0") < price < cheapest:
        raise DomainError(
            _("The live price must be above 0 and below the lowest regular price (%(price)s).") % {"price": cheapest},
            code="invalid_price",
        )
    _save_live_price_promotion(featured, stream, price)
    featured.live_price = price
    featured.save(update_fields=["live_price", "live_promotion_id"])
    broadcast(stream.pk, {"type": "products"})
    return featured


def _save_live_price_promotion(featured: FeaturedProduct, stream: Stream, price: Decimal) -> None:
    from promotions.models import StorePromotion
    from promotions.services import store_promotions

    data = {
        "kind": StorePromotion.Kind.ITEM_DISCOUNT,
        "name": stream.title[:120],  # shown as "Live price: <title>" in the reader's language
        "discount_type": StorePromotion.DiscountType.FIXED_PRICE,
        "value": price,
        "skus": list(featured.product.skus.filter(is_active=True).values_list("pk", flat=True)),
        "live_stream_id": stream.pk,
    }
    instance = StorePromotion.objects.filter(pk=featured.live_promotion_id).first()
    with promotions_errors():
        promotion = store_promotions.save_store_promotion(store=featured.store, data=data, instance=instance)
    if stream.is_live:
        store_promotions.open_live_prices(live_stream_id=stream.pk)
    featured.live_promotion_id = promotion.pk


@contextlib.contextmanager
def promotions_errors():
    """Promotions validates with field errors (ValidationError); the room and the console show one message."""
    from django.core.exceptions import ValidationError

    try:
        yield
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid") from exc


def drop_live_price(featured: FeaturedProduct) -> None:
    from promotions.services import store_promotions

    if featured.live_promotion_id:
        store_promotions.retire_live_price(promotion_id=featured.live_promotion_id)
        featured.live_promotion_id = None


def set_live_prices_open(stream: Stream, is_open: bool) -> None:
    from promotions.services import store_promotions

    if is_open:
        store_promotions.open_live_prices(live_stream_id=stream.pk)
    else:
        store_promotions.close_live_prices(live_stream_id=stream.pk)


def remove_featured(stream: Stream, featured_id: int) -> None:
    with transaction.atomic():
        stream = locked_stream(stream)
        featured = stream.featured.filter(pk=featured_id).first() if is_id(featured_id) else None
        if featured is None:
            raise DomainError(_("This product is not in the stream."), code="not_featured")
        if stream.is_ended:
            raise DomainError(_("An ended stream's products are kept for its replay."), code="stream_ended")
        if stream.pinned_id == featured.pk:
            stream.pinned = None
            stream.save(update_fields=["pinned"])
            broadcast(stream.pk, {"type": "pin", "product": None})
        drop_live_price(featured)
        featured.delete()
        broadcast(stream.pk, {"type": "products"})


def reorder_featured(stream: Stream, featured_ids: list[int]) -> None:
    ids = list(stream.featured.values_list("pk", flat=True))
    if sorted(featured_ids) != sorted(ids):
        raise DomainError(_("List every featured product exactly once."), code="invalid_order")
    with transaction.atomic():
        for position, featured_id in enumerate(featured_ids, start=1):
            FeaturedProduct.objects.filter(pk=featured_id, stream=stream).update(position=position)
    broadcast(stream.pk, {"type": "products"})


def pin(stream: Stream, featured_id: int | None) -> Stream:
    """Pin the product being presented (讲解), or clear the pin with None; every viewer sees it at once."""
    from livestream.selectors import featured_payload

    with transaction.atomic():
        stream = locked_stream(stream)
        if not stream.is_live:
            raise DomainError(_("Products are pinned while the stream is live."), code="not_live")
        featured = None
        if featured_id is not None:
            featured = (
                stream.featured.select_related("product").filter(pk=featured_id).first() if is_id(featured_id) else None
            )
            if featured is None:
                raise DomainError(_("This product is not in the stream."), code="not_featured")
        stream.pinned = featured
        stream.save(update_fields=["pinned"])
        broadcast(stream.pk, {"type": "pin", "product": featured_payload(featured) if featured else None})
    return stream
