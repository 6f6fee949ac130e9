"""The customer filter: segment, search, figures and sort, used by the list (page and API) and saved on targeted
campaigns as their audience. Pure: a dict of raw values in, a cleaned dict or {field: message} errors out."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from customers.models import Segment

SORTS = {
    "-spend": ("-spend", "shopper_id"),
    "spend": ("spend", "shopper_id"),
    "-orders": ("-orders", "shopper_id"),
    "orders": ("orders", "shopper_id"),
    "-last_order_at": ("-last_order_at", "shopper_id"),
    "last_order_at": ("last_order_at", "shopper_id"),
    "-first_order_at": ("-first_order_at", "shopper_id"),
    "first_order_at": ("first_order_at", "shopper_id"),
}
DEFAULT_SORT = "-last_order_at"
MONEY_FIELDS = ("min_spend", "max_spend")
COUNT_FIELDS = ("min_orders", "max_orders", "ordered_within_days", "no_order_for_days")
# What a campaign may save as its audience (search text and sort are list-only).
AUDIENCE_FIELDS = ("segment", "store", *MONEY_FIELDS, *COUNT_FIELDS)


class FilterError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def clean(raw, *, allowed_stores: set[int] | None = None) -> dict:
    """Validate a filter; blank values are left out. Raises FilterError({field: message})."""
    cleaned: dict = {}
    errors: dict[str, str] = {}

    def text(name: str) -> str:
        value = raw.get(name)
        return "" if value is None else str(value).strip()

    segment = text("segment")
    if segment:
        if segment in Segment.values:
            cleaned["segment"] = segment
        else:
            errors["segment"] = _("Unknown segment “%(value)s”; use one of: %(choices)s.") % {
                "value": segment[:40],
                "choices": ", ".join(Segment.values),
            }
    q = text("q")
    if q:
        cleaned["q"] = q[:80]
    sort = text("sort")
    if sort:
        if sort in SORTS:
            cleaned["sort"] = sort
        else:
            errors["sort"] = _("Unknown sort; use one of: %(choices)s.") % {"choices": ", ".join(SORTS)}
    store = text("store")
    if store:
        if store.isdigit() and (allowed_stores is None or int(store) in allowed_stores):
            cleaned["store"] = int(store)
        else:
            errors["store"] = _("Choose one of your stores.")
    for name in MONEY_FIELDS:
        value = text(name)
        if value:
            try:
                amount = Decimal(value)
                if not amount.is_finite() or amount < 0 or amount > Decimal("1e10"):
                    raise InvalidOperation
                cleaned[name] = str(amount.quantize(Decimal("0.01")))
            except InvalidOperation:
                errors[name] = _("Enter an amount of 0 or more.")
    for name in COUNT_FIELDS:
        value = text(name)
        if value:
            if value.isdigit() and int(value) <= 100_000:
                cleaned[name] = int(value)
            else:
                errors[name] = _("Enter a whole number of 0 or more.")
    if errors:
        raise FilterError(errors)
    return cleaned


def audience(cleaned: dict) -> dict:
    return {key: value for key, value in cleaned.items() if key in AUDIENCE_FIELDS}
