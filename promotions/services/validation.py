"""Field checks shared by the editing services: they collect every problem of a form and raise them together."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_COUNT = 2_147_483_647  # PositiveIntegerField
MAX_STREAM_ID = 2**63 - 1


class Errors:
    """Collects field errors and raises them together, so a form shows every problem at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def money_value(errors: Errors, data: dict, field: str, *, required=True, positive=False) -> Decimal | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter an amount."))
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        errors.add(field, _("Use at most 2 decimal places."))
        return None
    if amount < 0:
        errors.add(field, _("Must not be negative."))
        return None
    if positive and amount == 0:
        errors.add(field, _("Must be greater than 0."))
        return None
    return amount


# A promotion window outside these years is a typo (or a fuzzer), never a plan; the bounds also keep every stored
# time inside the range where the time zone has whole-minute offsets (RFC 3339 output).
WINDOW_YEARS = (2000, 2100)


def check_window(errors: Errors, start, end, *, start_field="valid_from", end_field="valid_to") -> None:
    for field, moment in ((start_field, start), (end_field, end)):
        if moment and not WINDOW_YEARS[0] <= moment.year <= WINDOW_YEARS[1]:
            first, last = WINDOW_YEARS
            errors.add(field, _("Choose a date between %(first)s and %(last)s.") % {"first": first, "last": last})
    if start and end and end <= start:
        errors.add(end_field, _("The end must be after the start."))


def check_every_off_cap(errors: Errors, every, off, cap) -> None:
    if every is not None and off is not None and off > every:
        errors.add("off", _("The amount off cannot be larger than the step it is given for."))
    if cap is not None and off is not None and cap < off:
        errors.add("cap", _("The cap cannot be smaller than one step's amount off."))


def whole_number(
    errors: Errors, data: dict, field: str, *, minimum: int, default: int | None = None, maximum: int = MAX_COUNT
) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        if default is None:
            errors.add(field, _("This field is required."))
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("Enter a whole number."))
        return None
    if number < minimum:
        errors.add(field, _("Must be at least %(n)s.") % {"n": minimum})
        return None
    if number > maximum:
        errors.add(field, _("Must be at most %(n)s.") % {"n": maximum})
        return None
    return number
