"""A stream's lifecycle, its featured products and live prices (through promotions), the pinned product and
coupon drops."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from livestream import realtime
from livestream.lock_objects import locked_stream
from livestream.models import (
    CouponDrop,
    Creator,
    CreatorPolicy,
    FeaturedProduct,
    Stream,
)
from livestream.services.common import (
    MAX_DROP_QUANTITY,
    MAX_FEATURED,
    broadcast,
    is_id,
)
from marketplace.api import DomainError
from marketplace.money import to_money
from shops.models import Product, Store
from shops.permissions import Capability, can

# -- streams ------------------------------------------------------------------------------------------------------


def create_stream(
    *,
    by,
    title: str,
    scheduled_at: datetime.datetime,
    store: Store | None = None,
    creator: Creator | None = None,
    description: str = "",
    playback_url: str = "",
    cover=None,
) -> Stream:
    if (store is None) == (creator is None):
        raise DomainError(_("A stream is hosted by one store or one creator."), code="host_required")
    if store is not None and not can(by, store, Capability.MANAGE_LIVESTREAM):
        raise Http404("No such store.")
    if creator is not None and (creator.user_id != by.pk or not creator.is_active):
        raise Http404("No such creator.")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("A stream needs a title."), code="title_required")
    if scheduled_at is None:
        raise DomainError(_("Choose when the stream starts."), code="schedule_required")
    stream = Stream(
        title=title[:120],
        description=(description or "").strip(),
        host_kind=Stream.HostKind.STORE if store else Stream.HostKind.CREATOR,
        store=store,
        creator=creator,
        scheduled_at=scheduled_at,
        playback_url=_clean_url(playback_url),
        created_by=by,
    )
    if cover:
        stream.cover = cover
    stream.save()
    return stream


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if url and not (url.startswith(("https://", "http://", "/"))):
        raise DomainError(_("The playback URL must be an http(s) URL or a path on this site."), code="invalid_url")
    if len(url) > 500:
        raise DomainError(_("The playback URL is too long."), code="invalid_url")
    return url


def update_stream(stream: Stream, *, title=None, description=None, scheduled_at=None, playback_url=None, cover=None):
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.is_ended:
            raise DomainError(_("An ended stream cannot be edited."), code="stream_ended")
        if title is not None:
            if not title.strip():
                raise DomainError(_("A stream needs a title."), code="title_required")
            stream.title = title.strip()[:120]
        if description is not None:
            stream.description = description.strip()
        if scheduled_at is not None:
            if stream.is_live:
                raise DomainError(_("A live stream cannot be rescheduled."), code="stream_live")
            stream.scheduled_at = scheduled_at
        if playback_url is not None:
            stream.playback_url = _clean_url(playback_url)
        if cover:
            stream.cover = cover
        stream.save()
    return stream


def go_live(stream: Stream, *, by) -> Stream:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.state != Stream.State.SCHEDULED:
            raise DomainError(_("Only a scheduled stream can go live."), code="not_scheduled")
        if not stream.playback_url:
            raise DomainError(_("Set the playback URL before going live."), code="playback_url_required")
        stream.state = Stream.State.LIVE
        stream.started_at = timezone.now()
        stream.save(update_fields=["state", "started_at"])
        _set_live_prices_open(stream, True)
        transaction.on_commit(lambda: realtime.cache_state(stream.pk, Stream.State.LIVE))
        broadcast(stream.pk, {"type": "state", "state": stream.state})
    realtime.seed_likes(stream.pk, stream.like_count)
    return stream


def end_stream(stream: Stream, *, by, replay_url: str | None = None) -> Stream:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.state != Stream.State.LIVE:
            raise DomainError(_("Only a live stream can be ended."), code="not_live")
        stream.state = Stream.State.ENDED
        stream.ended_at = timezone.now()
        stream.replay_url = _clean_url(replay_url) if replay_url else stream.replay_url or stream.playback_url
        stream.pinned = None
        stream.like_count = max(stream.like_count, realtime.likes(stream.pk))
        stream.peak_viewers = max(stream.peak_viewers, realtime.peak(stream.pk))
        stream.save(update_fields=["state", "ended_at", "replay_url", "pinned", "like_count", "peak_viewers"])
        _set_live_prices_open(stream, False)
        _close_coupon_drops(stream)
        transaction.on_commit(lambda: realtime.cache_state(stream.pk, Stream.State.ENDED))
        broadcast(stream.pk, {"type": "state", "state": stream.state, "replay_url": stream.replay_url})
        broadcast(stream.pk, {"type": "pin", "product": None})
    return stream


def delete_stream(stream: Stream) -> None:
    with transaction.atomic():
        stream = locked_stream(stream)
        if stream.state != Stream.State.SCHEDULED:
            raise DomainError(_("Only a stream that has not started can be deleted."), code="not_scheduled")
        for featured in stream.featured.all():
            _drop_live_price(featured)
        stream.delete()


# -- featured products and live prices ----------------------------------------------------------------------------


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
        _drop_live_price(featured)
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
    with _promotions_errors():
        promotion = store_promotions.save_store_promotion(store=featured.store, data=data, instance=instance)
    if stream.is_live:
        store_promotions.open_live_prices(live_stream_id=stream.pk)
    featured.live_promotion_id = promotion.pk


class _promotions_errors:
    """Promotions validates with field errors (ValidationError); the room and the console show one message."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        from django.core.exceptions import ValidationError

        if exc_type is not None and issubclass(exc_type, ValidationError):
            raise DomainError(" ".join(exc.messages), code="invalid") from exc
        return False


def _drop_live_price(featured: FeaturedProduct) -> None:
    from promotions.services import store_promotions

    if featured.live_promotion_id:
        store_promotions.retire_live_price(promotion_id=featured.live_promotion_id)
        featured.live_promotion_id = None


def _set_live_prices_open(stream: Stream, is_open: bool) -> None:
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
        _drop_live_price(featured)
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


# -- coupon drops -------------------------------------------------------------------------------------------------


def drop_coupon(
    stream: Stream, *, by, name: str, off, threshold, quantity: int, per_shopper_limit: int = 1, valid_days: int = 7
) -> CouponDrop:
    """Release a live-only store coupon in the room: claimable while the stream is live, up to ``quantity``.
    The coupon itself is a promotions coupon template of the live channel (promotions validates it)."""
    from promotions.services import coupons

    with transaction.atomic():
        stream = locked_stream(stream)
        if not stream.is_live:
            raise DomainError(_("Coupons are dropped while the stream is live."), code="not_live")
        if stream.host_kind != Stream.HostKind.STORE:
            raise DomainError(
                _("Live coupons are funded by a store; creators cannot drop them."), code="creator_cannot_drop"
            )
        quantity = _positive_int(quantity, _("quantity"), MAX_DROP_QUANTITY)
        data = {
            "name": (name or "").strip()[:120] or str(_("Live coupon")),
            "off": off,
            "threshold": threshold,
            "total_quantity": quantity,
            "per_shopper_limit": per_shopper_limit,
            "claim_from": timezone.now(),
            "valid_days": valid_days,
            "channel": "live",
            "live_stream_id": stream.pk,
        }
        with _promotions_errors():
            template = coupons.save_coupon_template(by=by, data=data, store=stream.store)
        drop = CouponDrop.objects.create(stream=stream, template=template, dropped_by=by)
        from livestream.selectors import drop_payload

        broadcast(stream.pk, {"type": "coupon", "drop": drop_payload(drop)})
    return drop


def _positive_int(value, label, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Enter a whole number for %(field)s.") % {"field": label}, code="invalid_number") from exc
    if not 1 <= number <= maximum:
        raise DomainError(
            _("%(field)s must be between 1 and %(max)s.") % {"field": label, "max": maximum}, code="invalid_number"
        )
    return number


def _close_coupon_drops(stream: Stream) -> None:
    from promotions.services import coupons

    coupons.close_live_coupons(live_stream_id=stream.pk)


def claim_drop(stream_id: int, drop_id: int, user):
    """A viewer claims a dropped coupon in the room. Quantity and per-shopper limits are enforced by promotions
    (conditional updates and a unique constraint), so they hold however many viewers claim at once."""
    from promotions.services import claims

    if not user or not user.is_authenticated:
        raise DomainError(_("Log in to claim coupons."), code="login_required", status_code=403)
    drop = None
    if is_id(drop_id):
        drop = CouponDrop.objects.select_related("stream", "template").filter(pk=drop_id, stream_id=stream_id).first()
    if drop is None:
        raise DomainError(_("No such coupon in this stream."), code="no_drop", status_code=404)
    if not drop.stream.is_live:
        raise DomainError(_("This stream has ended; its live coupons can no longer be claimed."), code="not_live")
    issued = claims.claim(user, drop.template, live_stream_id=stream_id)
    remaining = (
        type(drop.template)
        .objects.filter(pk=drop.template_id)
        .values_list(F("total_quantity") - F("issued_count"), flat=True)[0]
    )
    broadcast(stream_id, {"type": "coupon_stock", "drop": drop.pk, "remaining": max(remaining, 0)})
    return issued
