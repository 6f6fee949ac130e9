"""Reads of the livestream app: what the room shows (payloads), stream lists, and metrics with attribution."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone

from livestream import realtime
from livestream.models import CouponDrop, FeaturedProduct, MetricSample, Stream, ViewerSession
from marketplace.money import ZERO, format_money

# -- what the room shows --------------------------------------------------------------------------------------------


def featured_payload(featured: FeaturedProduct) -> dict:
    product = featured.product
    skus = [sku for sku in product.skus.all() if sku.is_active]
    regular = min((sku.price for sku in skus), default=product.min_price)
    return {
        "id": featured.pk,
        "product_id": product.pk,
        "title": product.title,
        "image": product.image.url if product.image else "",
        "price": format_money(regular),
        "live_price": format_money(featured.live_price) if featured.live_price is not None else None,
        "skus": [{"id": sku.pk, "label": sku.label, "price": format_money(sku.price)} for sku in skus],
    }


def featured_products(stream: Stream) -> list[FeaturedProduct]:
    return list(stream.featured.select_related("product", "store").prefetch_related("product__skus"))


def drop_payload(drop: CouponDrop) -> dict:
    template = drop.template
    return {
        "id": drop.pk,
        "name": template.name,
        "rule": template.rule_label(),
        "off": format_money(template.off),
        "threshold": format_money(template.threshold),
        "remaining": template.remaining,
        "total": template.total_quantity,
    }


def open_drops(stream: Stream) -> list[CouponDrop]:
    if not stream.is_live:
        return []
    return list(stream.coupon_drops.select_related("template"))


def room_snapshot(stream: Stream) -> dict:
    """What a viewer receives on connecting: state, figures, pinned product, open coupons, recent chat."""
    pinned = None
    if stream.pinned_id:
        pinned_obj = FeaturedProduct.objects.select_related("product").filter(pk=stream.pinned_id).first()
        pinned = featured_payload(pinned_obj) if pinned_obj else None
    return {
        "type": "hello",
        "stream": stream.pk,
        "state": stream.state,
        "viewers": realtime.watching(stream.pk),
        "likes": max(realtime.likes(stream.pk), stream.like_count),
        "pinned": pinned,
        "drops": [drop_payload(drop) for drop in open_drops(stream)],
        "chat": realtime.recent_messages(stream.pk) if stream.is_live else [],
    }


def public_streams(state: str | None = None):
    queryset = Stream.objects.select_related("store", "creator")
    if state:
        queryset = queryset.filter(state=state)
    return queryset


def live_list() -> dict[str, list[Stream]]:
    streams = public_streams()
    return {
        "live": list(streams.filter(state=Stream.State.LIVE).order_by("-started_at")[:48]),
        "upcoming": list(streams.filter(state=Stream.State.SCHEDULED).order_by("scheduled_at")[:24]),
        "replays": list(streams.filter(state=Stream.State.ENDED).order_by("-ended_at")[:24]),
    }


# -- attribution and metrics --------------------------------------------------------------------------------------


def attributed_lines(stream: Stream):
    """Order lines bought from the stream's room (source "live:<id>") whose sub-order has been paid."""
    from orders.models import OrderLine

    return OrderLine.objects.filter(source=stream.source, suborder__paid_at__isnull=False)


@dataclass(frozen=True)
class StreamMetrics:
    unique_viewers: int
    peak_viewers: int
    current_viewers: int
    average_watch_seconds: int
    likes: int
    orders: int
    buyers: int
    units: int
    gmv: Decimal
    conversion_rate: Decimal  # buyers / unique viewers, 0..1
    gmv_per_viewer: Decimal
    creator_commission: Decimal

    def as_dict(self) -> dict:
        data = asdict(self)
        for name in ("gmv", "gmv_per_viewer", "creator_commission"):
            data[name] = format_money(data[name])
        data["conversion_rate"] = str(self.conversion_rate)
        return data


def metrics(stream: Stream) -> StreamMetrics:
    sessions = ViewerSession.objects.filter(stream=stream).aggregate(n=Count("id"), avg=Avg("watch_seconds"))
    viewers = sessions["n"] or 0
    sales = attributed_lines(stream).aggregate(
        orders=Count("suborder__order", distinct=True),
        buyers=Count("suborder__order__shopper", distinct=True),
        units=Sum("quantity"),
        gmv=Sum("payable"),
    )
    gmv = sales["gmv"] or ZERO
    buyers = sales["buyers"] or 0
    return StreamMetrics(
        unique_viewers=viewers,
        peak_viewers=max(stream.peak_viewers, realtime.peak(stream.pk)),
        current_viewers=realtime.watching(stream.pk) if stream.is_live else 0,
        average_watch_seconds=int(sessions["avg"] or 0),
        likes=max(stream.like_count, realtime.likes(stream.pk)),
        orders=sales["orders"] or 0,
        buyers=buyers,
        units=sales["units"] or 0,
        gmv=gmv,
        conversion_rate=(Decimal(buyers) / viewers).quantize(Decimal("0.0001"), ROUND_HALF_UP) if viewers else ZERO,
        gmv_per_viewer=(gmv / viewers).quantize(Decimal("0.01"), ROUND_HALF_UP) if viewers else ZERO,
        creator_commission=creator_commission_total(stream),
    )


def store_sales_in_stream(stream: Stream, store) -> dict:
    """What one store sold in a (creator's) stream and the commission it owes on it, for the merchant's view."""
    lines = attributed_lines(stream).filter(suborder__store=store).select_related("sku")
    totals = lines.aggregate(gmv=Sum("payable"), units=Sum("quantity"))
    return {
        "gmv": totals["gmv"] or ZERO,
        "units": totals["units"] or 0,
        "commission": commission_for_lines(stream, lines),
    }


def commission_by_product(stream: Stream) -> dict[int, Decimal]:
    return dict(stream.featured.filter(commission_rate__gt=0).values_list("product_id", "commission_rate"))


def commission_for_lines(stream: Stream, lines) -> Decimal:
    """What the creator earns on ``lines`` of their stream: each line's paid amount x the featured product's rate."""
    if stream.host_kind != Stream.HostKind.CREATOR:
        return ZERO
    rates = commission_by_product(stream)
    total = ZERO
    for line in lines:
        rate = rates.get(line.sku.product_id)
        if rate:
            total += (line.payable * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return total


def creator_commission_total(stream: Stream) -> Decimal:
    if stream.host_kind != Stream.HostKind.CREATOR:
        return ZERO
    return commission_for_lines(stream, attributed_lines(stream).select_related("sku"))


def timeline(stream: Stream) -> dict:
    """Per-minute series for the charts: viewers (sampled), likes (cumulative), orders and GMV (attributed)."""
    samples = list(MetricSample.objects.filter(stream=stream).values("minute", "viewers", "likes", "messages"))
    sales = (
        attributed_lines(stream)
        .annotate(minute=TruncMinute("suborder__paid_at"))
        .values("minute")
        .annotate(gmv=Sum("payable"), orders=Count("suborder__order", distinct=True))
        .order_by("minute")
    )
    return {
        "viewers": [(sample["minute"], sample["viewers"]) for sample in samples],
        "likes": [(sample["minute"], sample["likes"]) for sample in samples],
        "gmv": [(row["minute"], row["gmv"]) for row in sales],
        "orders": [(row["minute"], row["orders"]) for row in sales],
    }


def streams_summary(streams) -> list[tuple[Stream, StreamMetrics]]:
    return [(stream, metrics(stream)) for stream in streams]


def upcoming_or_live(queryset):
    return queryset.filter(
        Q(state=Stream.State.LIVE) | Q(state=Stream.State.SCHEDULED, scheduled_at__gte=timezone.now())
    )
