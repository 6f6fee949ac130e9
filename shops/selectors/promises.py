"""Reads of service promises (服务卡), the operator's catalogue and the days a store's clocks stand still."""

from __future__ import annotations

import datetime
import math

from django.utils import timezone

from shops import caching
from shops.models import Brand, Store, StoreClosure
from shops.pauses import days_between
from shops.promises import (
    DEFAULT_SHIP_WITHIN_HOURS,
    NO_REASON_RETURN_DAYS,
    PlatformHoliday,
    ServiceCard,
    ServiceCatalogue,
)


def card_of(store: Store) -> ServiceCard:
    """The store's card, or an unsaved one with the defaults."""
    try:
        return store.service_card
    except ServiceCard.DoesNotExist:
        return ServiceCard(store=store, ship_within_hours=DEFAULT_SHIP_WITHIN_HOURS)


def service_card(store: Store, catalogue: ServiceCatalogue | None = None) -> dict:
    """What the store promises, as shown to shoppers (store detail API, product page, cart, order)."""
    catalogue = catalogue or ServiceCatalogue.current()
    return _shown_card(card_of(store), store, catalogue.return_insurance_cap)


def _shown_card(card: ServiceCard, store: Store, insurance_cap) -> dict:
    insured = card.return_shipping_insurance
    return {
        "ship_within_hours": card.ship_within_hours,
        "presale_ship_date": card.presale_ship_date.isoformat() if card.presale_ship_date else None,
        "no_reason_return_days": NO_REASON_RETURN_DAYS if card.no_reason_returns else 0,
        "return_shipping_insurance": insured,
        "return_insurance_cap": f"{insurance_cap:.2f}" if insured else None,
        "instant_refund": True,
        "genuine_guarantee": store.brand == Brand.TMALL,
    }


def storefront_terms() -> dict:
    """The catalogue's parts a product page shows (insurance cap, verticals without 7-day returns), read once per
    catalog version: saving the catalogue bumps it (shops.signals)."""

    def build() -> dict:
        catalogue = ServiceCatalogue.current()
        return {
            "return_insurance_cap": catalogue.return_insurance_cap,
            "return_excluded_vertical_ids": frozenset(catalogue.return_excluded_verticals.values_list("pk", flat=True)),
        }

    return caching.per_version("storefront-terms", build)


def product_service_card(product) -> dict:
    """The store's card as it applies to one product: no 7-day returns in a vertical the operator excluded.
    The store's card comes with the product (select_related), the catalogue's terms from the cache."""
    terms = storefront_terms()
    card = _shown_card(card_of(product.store), product.store, terms["return_insurance_cap"])
    vertical_id = product.category.vertical_id if product.category_id else None
    if card["no_reason_return_days"] and vertical_id in terms["return_excluded_vertical_ids"]:
        card["no_reason_return_days"] = 0
        card["return_excluded_vertical"] = True
    return card


def return_excluded_vertical_ids() -> set[int]:
    return set(ServiceCatalogue.current().return_excluded_verticals.values_list("pk", flat=True))


def no_reason_return_days(store: Store, vertical_id: int | None) -> int:
    """7 when the store promises no-reason returns and the product's vertical is not excluded, else 0."""
    if not card_of(store).no_reason_returns:
        return 0
    return 0 if vertical_id in return_excluded_vertical_ids() else NO_REASON_RETURN_DAYS


def holiday_days(since: datetime.date) -> set[datetime.date]:
    days: set[datetime.date] = set()
    for holiday in PlatformHoliday.objects.filter(ends_on__gte=since):
        days.update(days_between(max(holiday.starts_on, since), holiday.ends_on))
    return days


def closure_days(
    store_id: int, since: datetime.date, *, in_effect_at: datetime.datetime | None = None
) -> set[datetime.date]:
    """The store's closed days from ``since``; with ``in_effect_at``, only of the closures already running then
    (declared before it and begun by its day): an order paid before the store closed keeps its ship-by."""
    closures = StoreClosure.objects.filter(store_id=store_id, ends_on__gte=since)
    if in_effect_at is not None:
        closures = closures.filter(created_at__lt=in_effect_at, starts_on__lte=timezone.localtime(in_effect_at).date())
    days: set[datetime.date] = set()
    for closure in closures:
        days.update(days_between(max(closure.starts_on, since), closure.ends_on))
    return days


def paused_days(store_id: int | None, since: datetime.date, *, closures: bool = True) -> set[datetime.date]:
    """Days on which the store's deadlines stand still: its holiday closures and the platform's holiday windows."""
    days = holiday_days(since)
    if closures and store_id is not None:
        days |= closure_days(store_id, since)
    return days


def ships_after(on: datetime.date | None = None) -> datetime.date | None:
    """During a platform holiday window, the first day parcels move again (the product page says so). Today's
    answer is read once per catalog version (holiday writes bump it)."""
    today = timezone.localdate()
    if on is None or on == today:
        return caching.per_version("ships-after", lambda: _ships_after(today), today.isoformat())
    return _ships_after(on)


def _ships_after(on: datetime.date) -> datetime.date | None:
    holiday = PlatformHoliday.current_or_next(on)
    return holiday.ends_on + datetime.timedelta(days=1) if holiday else None


def holiday_ahead(ship_within_hours: int, on: datetime.date | None = None) -> dict | None:
    """A platform holiday that starts before an order placed on ``on`` (default today) is due to ship: {"starts_on",
    "ships_after"}; the product page warns that the parcel may leave only after it. Cached like ships_after."""
    on = on or timezone.localdate()
    days = max(1, math.ceil(ship_within_hours / 24))

    def find():
        holiday = PlatformHoliday.first_starting(on, on + datetime.timedelta(days=days))
        if holiday is None:
            return None
        return {"starts_on": holiday.starts_on, "ships_after": holiday.ends_on + datetime.timedelta(days=1)}

    if on == timezone.localdate():
        return caching.per_version("holiday-ahead", find, on.isoformat(), days)
    return find()


def today() -> datetime.date:
    return timezone.localdate()
