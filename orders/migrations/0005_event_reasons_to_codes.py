"""Old timeline events stored their reason as an English sentence: turn the recognisable ones into reason codes with
parameters (rendered in the reader's language since 0004); what is not recognised stays as it was."""

import re

from django.db import migrations

AWAITING_RETURN = " · waiting for the shopper to send the goods back"
REFUND_REASONS = {
    "No longer wanted": "not_wanted",
    "Wrong item or size": "wrong_item",
    "Damaged or defective": "damaged",
    "Not as described": "not_as_described",
    "Not delivered": "not_delivered",
    "Other": "other",
}
ORDER_STATUSES = {"awaiting payment": "awaiting_payment", "paid": "paid", "cancelled": "cancelled"}
AMOUNT = r"¥?(?P<amount>-?\d+(?:\.\d+)?)"
PATTERNS = [
    (r"Order placed", "order_placed"),
    (r"Payment received", "payment_received"),
    (r"Cancelled by the shopper", "cancelled_by_shopper"),
    (r"Not paid within (?P<minutes>\d+) minutes", "not_paid_in_time"),
    (r"Shipped with (?P<carrier>.+)", "shipped_with"),
    (r"Picked up at (?P<outlet>.+)", "picked_up_at"),
    (r"The shopper confirmed receipt", "receipt_confirmed"),
    (r"Received automatically (?P<days>\d+) days after shipping", "auto_received"),
    (r"Received automatically (?P<days>\d+) days after delivery", "auto_received_after_delivery"),
    (r"The carrier delivered the parcel", "carrier_delivered"),
    (r"E-invoice issued", "invoice_issued"),
    (r"7-day no-reason return: send the goods back to the store", "no_reason_return"),
    (r"Not shipped by (?P<deadline>.+): the store compensates you (?P<amount>[\d.]+)", "late_shipment_compensated"),
    (r"Settled", "settled"),
    (rf"Settled: {AMOUNT} to the store", "settled_to_store"),
    (rf"Refund of {AMOUNT} requested: (?P<reason>.+)", "refund_requested"),
    (r"Approved instantly by the refund policy", "approved_by_policy"),
    (rf"Refund request changed: {AMOUNT}", "refund_changed"),
    (r"The shopper withdrew the request", "shopper_withdrew"),
    (r"The merchant approved the refund", "merchant_approved"),
    (r"Refund rejected: (?P<reason>.*)", "refund_rejected"),
    (r"The merchant shipped the order", "merchant_shipped"),
    (r"Return sent with (?P<carrier>.+), tracking (?P<number>.+)", "return_sent"),
    (r"The merchant received the returned goods", "merchant_received_return"),
    (r"The shopper asked the platform to step in: (?P<note>.*)", "shopper_escalated"),
    (r"The platform decided for the shopper: (?P<note>.*)", "platform_for_shopper"),
    (r"The platform decided for the merchant: (?P<note>.*)", "platform_for_merchant"),
    (r"The merchant did not respond in time", "merchant_no_response"),
    (r"The shopper did not change the request or ask the platform in time", "shopper_no_response"),
    (r"The goods were not sent back in time", "goods_not_returned"),
    (r"The merchant did not confirm the return in time", "return_not_confirmed"),
    (rf"{AMOUNT} refunded to the shopper", "refunded_to_shopper"),
    (r"Every item was refunded after settlement", "fully_refunded_after_settlement"),
    (r"Every item was refunded", "every_item_refunded"),
    (r"Order (?P<number>\S+) was (?P<status>.+) when the payment arrived", "payment_arrived_late"),
]
COMPILED = [(re.compile(rf"^{pattern}$", re.S), code) for pattern, code in PATTERNS]


def to_code(reason: str):
    """(code, params) for an old English reason, or None when it is not one the platform wrote."""
    also = []
    if reason.endswith(AWAITING_RETURN):
        reason, also = reason[: -len(AWAITING_RETURN)], ["waiting_for_return"]
    for pattern, code in COMPILED:
        match = pattern.match(reason)
        if match is None:
            continue
        params = dict(match.groupdict())
        if code == "refund_requested":
            params["reason"] = REFUND_REASONS.get(params["reason"], params["reason"])
        if code == "payment_arrived_late":
            params["status"] = ORDER_STATUSES.get(params["status"], params["status"])
        if also:
            params["_also"] = also
        return code, params
    return None


def forwards(apps, schema_editor):
    SubOrderEvent = apps.get_model("orders", "SubOrderEvent")
    changed = []
    for event in SubOrderEvent.objects.filter(reason_code="").exclude(reason="").iterator(chunk_size=2000):
        found = to_code(event.reason)
        if found is None:
            continue
        event.reason_code, event.reason_params = found
        event.reason = ""
        changed.append(event)
        if len(changed) >= 1000:
            SubOrderEvent.objects.bulk_update(changed, ["reason_code", "reason_params", "reason"])
            changed = []
    if changed:
        SubOrderEvent.objects.bulk_update(changed, ["reason_code", "reason_params", "reason"])


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_event_reason_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
