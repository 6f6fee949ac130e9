"""Targeted coupon campaigns (定向券): a store coupon sent to a segment or a saved filter of the merchant's
customers, with a random control group held out, and the report that compares the two.

Sending happens once: the campaign row is locked and moves draft -> sent in one transaction that chooses the
audience, splits it at random (SystemRandom) and puts the coupons in the treatment group's wallets through
promotions.services.granting (which holds the budget and the per-shopper limit). A second or concurrent send finds the
campaign sent and changes nothing. Messaging hears ``customers.signals.targeted_coupon_issued`` after the commit.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from customers import selectors, signals
from customers.filters import AUDIENCE_FIELDS
from customers.lock_objects import locked_campaign
from customers.models import CampaignRecipient, Segment, TargetedCampaign
from customers.services.segments import ensure_fresh
from marketplace.api import DomainError
from orders.models import SubOrder
from promotions.models import CouponTemplate, IssuedCoupon
from promotions.services import granting
from promotions.services.coupons import save_coupon_template
from shops.models import Store

GRANT_BATCH = 1_000
Group = CampaignRecipient.Group


@transaction.atomic
def create(
    *, by, store: Store, audience: dict, name: str, off, threshold, valid_days: int, budget: int,
    per_shopper_limit: int = 1, control_percent: int = 10,
) -> TargetedCampaign:  # fmt: skip
    """A draft campaign and its coupon template (channel "targeted", ``budget`` coupons in all)."""
    audience = {key: value for key, value in audience.items() if key in AUDIENCE_FIELDS}
    if not audience:
        raise DomainError(_("Choose a segment or a filter for the campaign's audience."), code="no_audience")
    if not 0 <= int(control_percent) <= 50:
        raise DomainError(_("The control group is 0 to 50% of the audience."), code="invalid_control")
    template = save_coupon_template(
        by=by,
        store=store,
        data={
            "name": name, "off": off, "threshold": threshold, "valid_days": valid_days, "total_quantity": budget,
            "per_shopper_limit": per_shopper_limit, "channel": CouponTemplate.Channel.TARGETED,
        },
    )  # fmt: skip
    segment = audience.pop("segment", "")
    return TargetedCampaign.objects.create(
        merchant_id=store.merchant_id, store=store, template=template, name=name.strip()[:120], segment=segment,
        filters=audience, control_percent=int(control_percent), created_by=by,
    )  # fmt: skip


def audience_ids(campaign: TargetedCampaign) -> list[int]:
    cleaned = {**campaign.filters, **({"segment": campaign.segment} if campaign.segment else {})}
    rows = selectors.customers(campaign.merchant, cleaned, include_followers=campaign.segment == Segment.FOLLOWER)
    return sorted(rows.order_by().values_list("shopper_id", flat=True))


def split(shopper_ids: list[int], control_percent: int, rng: random.Random | None = None) -> tuple[list, list]:
    """(treatment, control): a uniformly random round(n * percent / 100) of the audience is held out."""
    rng = rng or random.SystemRandom()
    shuffled = list(shopper_ids)
    rng.shuffle(shuffled)
    held_out = round(len(shuffled) * control_percent / 100)
    return sorted(shuffled[held_out:]), sorted(shuffled[:held_out])


def send(campaign_id: int, *, rng: random.Random | None = None) -> int:
    """Send a draft campaign; returns how many coupons it issued (a sent campaign: what it issued then)."""
    campaign = TargetedCampaign.objects.filter(pk=campaign_id).select_related("merchant").first()
    if campaign is None:
        raise DomainError(_("No such campaign."), code="not_found", status_code=404)
    if campaign.status == TargetedCampaign.Status.DRAFT:
        ensure_fresh(campaign.merchant_id)  # outside the campaign lock: a long recompute must not hold it
    issued: dict[int, int] = {}
    with transaction.atomic():
        campaign = locked_campaign(campaign_id)
        if campaign.status != TargetedCampaign.Status.DRAFT:
            return campaign.issued
        treatment, control = split(audience_ids(campaign), campaign.control_percent, rng)
        CampaignRecipient.objects.bulk_create(
            [CampaignRecipient(campaign=campaign, shopper_id=pk, group=Group.TREATMENT) for pk in treatment]
            + [CampaignRecipient(campaign=campaign, shopper_id=pk, group=Group.CONTROL) for pk in control]
        )
        for start in range(0, len(treatment), GRANT_BATCH):
            issued.update(granting.grant(campaign.template_id, treatment[start : start + GRANT_BATCH]))
        recipients = list(
            CampaignRecipient.objects.filter(campaign=campaign, shopper_id__in=list(issued)).order_by("pk")
        )
        for recipient in recipients:
            recipient.coupon_id = issued[recipient.shopper_id]
        CampaignRecipient.objects.bulk_update(recipients, ["coupon_id"], batch_size=GRANT_BATCH)
        campaign.status = TargetedCampaign.Status.SENT
        campaign.audience, campaign.control, campaign.issued = len(treatment) + len(control), len(control), len(issued)
        campaign.sent_at = timezone.now()
        campaign.save(update_fields=["status", "audience", "control", "issued", "sent_at"])
        shoppers, coupons = list(issued), list(issued.values())
        transaction.on_commit(
            lambda: signals.targeted_coupon_issued.send(
                sender=TargetedCampaign, campaign=campaign, shopper_ids=shoppers, coupon_ids=coupons
            )
        )
    return len(issued)


def _group_figures(campaign: TargetedCampaign, group: str) -> dict:
    members = CampaignRecipient.objects.filter(campaign=campaign, group=group).values("shopper_id")
    figures = SubOrder.objects.filter(
        store_id=campaign.store_id, order__shopper_id__in=members, paid_at__gte=campaign.sent_at
    ).aggregate(orders=Count("pk"), buyers=Count("order__shopper_id", distinct=True), spend=Sum("payable"))
    return {"orders": figures["orders"], "buyers": figures["buyers"], "spend": figures["spend"] or Decimal("0.00")}


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(part) / whole).quantize(Decimal("0.0001")) if whole else Decimal("0.0000")


def report(campaign: TargetedCampaign) -> dict:
    """Issued, used, orders and spend at the campaign's store since it was sent, per group, and the uplift:
    treatment conversion minus control conversion (None without a control group)."""
    sizes = dict(
        CampaignRecipient.objects.filter(campaign=campaign).values_list("group").annotate(n=Count("pk")).order_by()
    )
    treatment_size, control_size = sizes.get(Group.TREATMENT, 0), sizes.get(Group.CONTROL, 0)
    coupons = IssuedCoupon.objects.filter(template_id=campaign.template_id).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(status=IssuedCoupon.Status.USED))
    )
    treatment = _group_figures(campaign, Group.TREATMENT) if campaign.sent_at else {"orders": 0, "buyers": 0,
                                                                                      "spend": Decimal(0)}  # fmt: skip
    control = _group_figures(campaign, Group.CONTROL) if campaign.sent_at else {"orders": 0, "buyers": 0,
                                                                                "spend": Decimal(0)}  # fmt: skip
    treatment_conversion = _rate(treatment["buyers"], treatment_size)
    control_conversion = _rate(control["buyers"], control_size)
    per_treated = treatment["spend"] / treatment_size if treatment_size else Decimal(0)
    per_control = control["spend"] / control_size if control_size else Decimal(0)
    return {
        "audience": treatment_size + control_size,
        "treatment": treatment_size,
        "control": control_size,
        "issued": coupons["issued"],
        "used": coupons["used"],
        "treatment_buyers": treatment["buyers"],
        "treatment_orders": treatment["orders"],
        "treatment_spend": treatment["spend"],
        "control_buyers": control["buyers"],
        "control_orders": control["orders"],
        "control_spend": control["spend"],
        "treatment_conversion": treatment_conversion,
        "control_conversion": control_conversion,
        "uplift": (treatment_conversion - control_conversion) if control_size else None,
        "spend_per_shopper_uplift": (per_treated - per_control).quantize(Decimal("0.01")) if control_size else None,
    }
