"""Demo logistics: service cards for the demo stores and the sandbox carrier's reports for shipped demo orders
(so tracking timelines, the delivered date and the auto-receive date have content). Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from logistics import tracking_steps
from logistics.models import SandboxParcel
from logistics.services import tracking
from orders.models import SubOrder
from shops.models import Brand, Store
from shops.promises import PlatformHoliday, ServiceCard


def seed(stdout):
    cards = 0
    for index, store in enumerate(Store.objects.order_by("pk")):
        tmall = store.brand == Brand.TMALL
        _card, created = ServiceCard.objects.get_or_create(
            store=store,
            defaults={
                "ship_within_hours": 24 if tmall else (48, 72)[index % 2],
                "return_shipping_insurance": tmall or index % 3 == 0,
                "return_address": f"{store.name} 退货仓 · 浙江省杭州市余杭区文一西路 {100 + index} 号",
            },
        )
        cards += created
    # The next 春节 logistics pause, declared well ahead as operators do (it moves deadlines only once it overlaps).
    starts = timezone.localdate() + datetime.timedelta(days=60)
    PlatformHoliday.objects.get_or_create(
        name="春节物流暂停 (demo)", defaults={"starts_on": starts, "ends_on": starts + datetime.timedelta(days=6)}
    )
    reported = 0
    shipped = SubOrder.objects.filter(state__in=[SubOrder.State.SHIPPED, SubOrder.State.RECEIVED],
                                      fulfilment=SubOrder.Fulfilment.DELIVERY)  # fmt: skip
    for suborder in shipped.order_by("pk"):
        parcel = tracking.start_sandbox_parcel(suborder)
        base = suborder.shipped_at or timezone.now()
        while not parcel.finished:
            at = min(base + datetime.timedelta(hours=3 * (parcel.next_step + 1)), timezone.now())
            body = tracking.sandbox_payload(parcel, parcel.next_step, at)
            tracking.deliver(body, tracking.signed_headers(body))
            parcel.next_step += 1
            parcel.finished = parcel.next_step >= len(tracking_steps.STEPS)
            reported += 1
        SandboxParcel.objects.filter(pk=parcel.pk).update(next_step=parcel.next_step, finished=True)
    stdout.write(f"logistics: {cards} service cards, {reported} tracking events reported")
    return []
