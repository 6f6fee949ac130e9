"""Campaigns (operators create and edit them) and stores enrolling in or leaving them (merchants)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from promotions.lock_objects import locked_campaign
from promotions.models import Campaign, CampaignEnrollment
from promotions.selectors import store_overlap
from promotions.services.validation import Errors, check_every_off_cap, check_window, money_value
from shops.lock_objects import locked_store, locked_stores_for_enrolment
from shops.models import Brand, Store

CAMPAIGN_FIELDS = (
    "name", "description", "starts_at", "ends_at", "every", "off", "cap", "brands", "platform_share", "budget",
    "exclusive", "is_active",
)  # fmt: skip


def clean_campaign(data: dict, instance: Campaign | None = None) -> dict:
    errors = Errors()
    if not (data.get("name") or "").strip():
        errors.add("name", _("This field is required."))
    for field in ("starts_at", "ends_at"):
        if not isinstance(data.get(field), datetime.datetime):
            errors.add(field, _("This field is required."))
    check_window(errors, data.get("starts_at"), data.get("ends_at"), start_field="starts_at", end_field="ends_at")
    every = money_value(errors, data, "every", positive=True)
    off = money_value(errors, data, "off", positive=True)
    cap = money_value(errors, data, "cap", required=False, positive=True)
    check_every_off_cap(errors, every, off, cap)
    share = data.get("platform_share")
    if share is None or share == "":
        share = Decimal("0")
    try:
        share = Decimal(str(share))
        if not Decimal("0") <= share <= Decimal("1") or share != share.quantize(Decimal("0.01")):
            errors.add("platform_share", _("The platform share is a fraction between 0.00 and 1.00."))
    except (InvalidOperation, ValueError):
        errors.add("platform_share", _("The platform share is a fraction between 0.00 and 1.00."))
    budget = money_value(errors, data, "budget", required=False)
    if budget is not None and instance is not None and budget < instance.spent:
        errors.add(
            "budget", _("The budget cannot be below what is already spent (%(spent)s).") % {"spent": instance.spent}
        )
    brands = list(data.get("brands") or [])
    if any(brand not in Brand.values for brand in brands):
        errors.add("brands", _("Unknown brand."))
    errors.raise_if_any()
    cleaned = {key: data[key] for key in CAMPAIGN_FIELDS if key in data}
    cleaned.update(every=every, off=off, cap=cap, budget=budget, platform_share=share, brands=sorted(set(brands)))
    cleaned["name"] = data["name"].strip()
    return cleaned


@transaction.atomic
def save_campaign(*, by, data: dict, instance: Campaign | None = None) -> Campaign:
    """Create or edit a campaign. An edit that would put a store taking part in it into two cross-store campaigns
    at once (new dates that overlap another campaign of the store, or switching it back on) is refused: a store
    takes part in one at a time. The enrolled stores are locked first (as enrolment does, store before campaign),
    so an enrolment of one of them elsewhere cannot slip past the check."""
    cleaned = clean_campaign(data, instance)
    if instance is None:
        return Campaign.objects.create(created_by=by, **cleaned)
    store_ids = list(CampaignEnrollment.objects.filter(campaign=instance).values_list("store_id", flat=True))
    locked_stores_for_enrolment(store_ids)
    instance = locked_campaign(instance.pk)
    cleaned = clean_campaign(data, instance)  # again under the lock: spent may have moved
    for key, value in cleaned.items():
        setattr(instance, key, value)
    check_no_store_overlap(instance)
    instance.save()
    return instance


def check_no_store_overlap(campaign: Campaign) -> None:
    """Refuse the campaign's window (or its switching on) when a store taking part in it is also in another active
    campaign whose window overlaps."""
    if not campaign.is_active:
        return
    clash = store_overlap(campaign, CampaignEnrollment.objects.filter(campaign=campaign).values("store"))
    if clash is None:
        return
    message = _(
        "“%(store)s” takes part in this campaign and in “%(other)s” (%(starts)s – %(ends)s): with these dates it "
        "would be in two cross-store campaigns at once. A store takes part in one at a time: choose dates that do "
        "not overlap, or the store leaves one of them first."
    ) % {
        "store": clash.store.name,
        "other": clash.campaign.name,
        "starts": timezone.localtime(clash.campaign.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends": timezone.localtime(clash.campaign.ends_at).strftime("%Y-%m-%d %H:%M"),
    }
    errors = Errors()
    errors.add("starts_at", message)
    errors.raise_if_any()


@transaction.atomic
def enroll(*, by, campaign: Campaign, store: Store) -> CampaignEnrollment:
    """A store takes part in at most one cross-store campaign at a time (as on Taobao): enrolling in a campaign
    whose window overlaps one the store is already in is refused. The store row is locked first, so two
    enrolments of one store at once are checked one after the other and cannot both pass."""
    if not campaign.is_active or campaign.ends_at <= timezone.now():
        raise DomainError(_("This campaign is not open for enrollment."), code="campaign_closed")
    if campaign.brands and store.brand not in campaign.brands:
        raise DomainError(_("This campaign is not open to %(brand)s stores.") % {"brand": store.get_brand_display()})
    store = locked_store(store)
    existing = CampaignEnrollment.objects.filter(campaign=campaign, store=store).first()
    if existing is not None:
        return existing
    clash = store_overlap(campaign, [store.pk])
    if clash is not None:
        raise DomainError(
            _(
                "Your store already takes part in “%(other)s” (%(starts)s – %(ends)s), whose dates overlap this "
                "campaign's. A store takes part in one cross-store campaign at a time: leave that campaign first "
                "or choose one that does not overlap."
            )
            % {
                "other": clash.campaign.name,
                "starts": timezone.localtime(clash.campaign.starts_at).strftime("%Y-%m-%d %H:%M"),
                "ends": timezone.localtime(clash.campaign.ends_at).strftime("%Y-%m-%d %H:%M"),
            },
            code="campaign_overlap",
        )
    return CampaignEnrollment.objects.create(campaign=campaign, store=store, enrolled_by=by)


def withdraw(*, campaign: Campaign, store: Store) -> None:
    if campaign.starts_at <= timezone.now() < campaign.ends_at:
        raise DomainError(_("A store cannot leave a campaign that is running."), code="campaign_running")
    CampaignEnrollment.objects.filter(campaign=campaign, store=store).delete()
