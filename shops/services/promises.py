"""Writes of service promises: a store's card (workbench), the operator's catalogue and platform holiday windows."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.money import to_money
from shops.lock_objects import locked_service_card, locked_service_catalogue
from shops.models import Category, Store
from shops.promises import PlatformHoliday, ServiceCard, ServiceCatalogue

CARD_FIELDS = (
    "ship_within_hours",
    "presale_ship_date",
    "no_reason_returns",
    "return_shipping_insurance",
    "return_address",
)


@transaction.atomic
def set_service_card(store: Store, **changes) -> ServiceCard:
    """Change the store's promises; only what the operator's catalogue allows. Unknown keys are refused."""
    unknown = set(changes) - set(CARD_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown promise: %(names)s.") % {"names": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    catalogue = ServiceCatalogue.current()
    card = locked_service_card(store) or ServiceCard(store=store)
    for name, value in changes.items():
        setattr(card, name, value.strip()[:255] if name == "return_address" else value)
    hours = card.ship_within_hours
    if not isinstance(hours, int) or hours not in catalogue.ship_within_choices:
        raise DomainError(
            _("Ship within one of: %(choices)s hours.")
            % {"choices": ", ".join(str(choice) for choice in catalogue.ship_within_choices)},
            code="ship_within_not_offered",
        )
    if "presale_ship_date" in changes and card.presale_ship_date is not None:
        today = timezone.localdate()
        if card.presale_ship_date <= today:
            raise DomainError(_("A pre-sale ship-by date must be in the future."), code="deadline_in_past")
        if (card.presale_ship_date - today).days > catalogue.presale_max_days:
            raise DomainError(
                _("A pre-sale ships within %(days)s days at most.") % {"days": catalogue.presale_max_days},
                code="presale_too_long",
            )
    card.save()
    return card


def _money(value, label: str) -> Decimal:
    try:
        amount = to_money(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("%(label)s must be an amount.") % {"label": label}, code="invalid_amount") from None
    if amount < 0:
        raise DomainError(_("%(label)s cannot be negative.") % {"label": label}, code="invalid_amount")
    return amount


@transaction.atomic
def save_catalogue(*, operator, **changes) -> ServiceCatalogue:
    """The operator edits the catalogue of promises stores may choose and the late-shipment compensation."""
    catalogue = locked_service_catalogue()
    if "ship_within_choices" in changes:
        choices = changes["ship_within_choices"]
        if not choices or any(not isinstance(hours, int) or not 1 <= hours <= 720 for hours in choices):
            raise DomainError(_("Offer at least one ship-within time of 1 to 720 hours."), code="invalid_choices")
        catalogue.ship_within_choices = sorted(set(choices))
    if "presale_max_days" in changes:
        days = changes["presale_max_days"]
        if not isinstance(days, int) or not 1 <= days <= 365:
            raise DomainError(_("A pre-sale lasts 1 to 365 days."), code="invalid_presale_days")
        catalogue.presale_max_days = days
    if "return_insurance_cap" in changes:
        catalogue.return_insurance_cap = _money(changes["return_insurance_cap"], _("The insurance cap"))
    if "late_compensation_cap" in changes:
        catalogue.late_compensation_cap = _money(changes["late_compensation_cap"], _("The compensation cap"))
    if "late_compensation_rate" in changes:
        try:
            rate = Decimal(str(changes["late_compensation_rate"])).quantize(Decimal("0.001"))
        except (InvalidOperation, ValueError):
            rate = Decimal("-1")
        if not Decimal("0") <= rate <= Decimal("1"):
            raise DomainError(_("The compensation share is between 0 and 1."), code="invalid_rate")
        catalogue.late_compensation_rate = rate
    catalogue.updated_by = operator if getattr(operator, "is_authenticated", False) else None
    catalogue.save()
    if "return_excluded_verticals" in changes:
        ids = list(changes["return_excluded_verticals"] or [])
        verticals = list(Category.objects.filter(pk__in=ids, parent__isnull=True))
        if len(verticals) != len(set(ids)):
            raise DomainError(_("Only top-level categories (verticals) can be excluded."), code="not_a_vertical")
        catalogue.return_excluded_verticals.set(verticals)
    return catalogue


def declare_holiday(*, operator, name: str, starts_on: datetime.date, ends_on: datetime.date) -> PlatformHoliday:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the holiday."), code="missing_name")
    if not starts_on or not ends_on:
        raise DomainError(_("Give both the first and the last day."), code="dates_required")
    if ends_on < starts_on:
        raise DomainError(_("A holiday cannot end before it starts."), code="ends_before_start")
    if ends_on < timezone.localdate():
        raise DomainError(_("This holiday would already be over."), code="deadline_in_past")
    if starts_on < timezone.localdate():  # it would move deadlines that have already run out
        raise DomainError(_("A holiday starts today at the earliest."), code="deadline_in_past")
    if (ends_on - starts_on).days > 30:
        raise DomainError(_("A platform holiday lasts 30 days at most."), code="holiday_too_long")
    return PlatformHoliday.objects.create(
        name=name[:80],
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=operator if getattr(operator, "is_authenticated", False) else None,
    )


def remove_holiday(holiday: PlatformHoliday) -> None:
    if holiday.starts_on <= timezone.localdate():
        raise DomainError(_("A holiday that has begun cannot be removed."), code="holiday_started", status_code=409)
    holiday.delete()
