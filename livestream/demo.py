"""Demo livestreams: a creator login, a live store stream with featured products (live prices, a pinned product,
a coupon drop), a scheduled one, an ended one with its replay and figures, and a creator stream.

Idempotent: streams are looked up by title. The player plays static/live/demo-feed.webp (an animated image drawn
with Pillow, see livestream/media.py) since the box has no video encoder and the demo needs no network.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, ensure_user
from livestream import media, services
from livestream.models import Creator, MetricSample, Stream, ViewerSession
from shops.models import Product, Store

FEED = "/static/live/demo-feed.webp"
LIVE_TITLE = "优选小铺 · 夏季新品直播"
SCHEDULED_TITLE = "优选官方旗舰店 · 美妆专场"
ENDED_TITLE = "优选小铺 · 周末清仓"
CREATOR_TITLE = "小美的穿搭分享"


def seed(stdout):
    taobao = Store.objects.filter(slug="youxuan-taobao").first()
    tmall = Store.objects.filter(slug="youxuan-tmall").first()
    if taobao is None or tmall is None:
        stdout.write("livestream: demo stores missing, skipped")
        return []
    owner = taobao.merchant.owner
    creator_user = ensure_user("creator", display_name="达人 小美 Mia")
    creator, _ = Creator.objects.get_or_create(
        user=creator_user, defaults={"display_name": "小美 Mia", "bio": "穿搭与家居好物分享 · Outfits and home finds"}
    )
    services.set_creator_policy(taobao, allows_creators=True, commission_rate="0.10", by=owner)
    services.set_creator_policy(tmall, allows_creators=False, commission_rate="0.10", by=owner)

    live = ensure_stream(LIVE_TITLE, by=owner, store=taobao, hours=-1)
    if live.state == Stream.State.SCHEDULED:
        feature(live, taobao, count=5, live_prices=2)
        services.go_live(live, by=owner)
        services.pin(live, live.featured.first().pk)
        services.drop_coupon(
            live, by=owner, name="直播间专享券", off="20.00", threshold="199.00", quantity=100, valid_days=7
        )
    scheduled = ensure_stream(SCHEDULED_TITLE, by=owner, store=tmall, hours=24)
    if not scheduled.featured.exists():
        feature(scheduled, tmall, count=3, live_prices=1)
    ended = ensure_stream(ENDED_TITLE, by=owner, store=taobao, hours=-30)
    if ended.state == Stream.State.SCHEDULED:
        feature(ended, taobao, count=3, live_prices=0, offset=5)
        services.go_live(ended, by=owner)
        services.end_stream(ended, by=owner, replay_url=FEED)
        backfill_figures(ended)
    creator_stream = ensure_stream(CREATOR_TITLE, by=creator_user, creator=creator, hours=3)
    if not creator_stream.featured.exists():
        feature(creator_stream, taobao, count=3, live_prices=0, offset=8)
    stdout.write(f"livestream: {Stream.objects.count()} streams ({Stream.objects.filter(state='live').count()} live)")
    return [("creator", DEMO_PASSWORD, "creator (达人): /creator/, features 优选小铺 products at 10%")]


def ensure_stream(title: str, *, by, hours: int, store=None, creator=None) -> Stream:
    stream = Stream.objects.filter(title=title).first()
    if stream is not None:
        return stream
    stream = services.create_stream(
        by=by,
        title=title,
        description="演示直播 · demo stream",
        scheduled_at=timezone.now() + datetime.timedelta(hours=hours),
        playback_url=FEED,
        store=store,
        creator=creator,
    )
    stream.cover.save(f"live-{stream.pk}.png", ContentFile(media.poster_png(f"#{stream.pk}")), save=True)
    return stream


def feature(stream: Stream, store: Store, *, count: int, live_prices: int, offset: int = 0) -> None:
    products = Product.objects.filter(store=store, status=Product.Status.ACTIVE).order_by("-sales_count", "pk")
    for index, product in enumerate(products[offset : offset + count]):
        cheapest = min((sku.price for sku in product.skus.filter(is_active=True)), default=None)
        live_price = None
        if cheapest and index < live_prices:
            live_price = (cheapest * Decimal("0.8")).quantize(Decimal("0.01"))
        services.feature_product(stream, product, live_price=live_price)


def backfill_figures(stream: Stream) -> None:
    """An hour of plausible audience figures for the ended demo stream, so its charts have something to show."""
    rng = random.Random(stream.pk)
    start = (stream.started_at or timezone.now()).replace(second=0, microsecond=0)
    likes = 0
    for minute in range(60):
        viewers = int(40 + 80 * (1 - abs(minute - 30) / 30) + rng.randint(0, 15))
        likes += rng.randint(10, 60)
        MetricSample.objects.get_or_create(
            stream=stream,
            minute=start + datetime.timedelta(minutes=minute),
            defaults={"viewers": viewers, "likes": likes, "messages": rng.randint(0, 20)},
        )
    for index in range(180):
        seen = start + datetime.timedelta(minutes=rng.randint(0, 55))
        ViewerSession.objects.get_or_create(
            stream=stream,
            viewer_key=f"demo{index}",
            defaults={"first_seen": seen, "last_seen": seen, "watch_seconds": rng.randint(30, 1800)},
        )
    Stream.objects.filter(pk=stream.pk).update(peak_viewers=135, like_count=likes)
