"""Inside the engine money is an int number of cents: exact, and fast enough for the best-choice search."""

from decimal import Decimal
from functools import lru_cache

from promotions.engine.errors import QuoteInputError


@lru_cache(maxsize=4096)
def to_cents(amount: Decimal) -> int:
    scaled = amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise QuoteInputError(f"amount {amount} has more than 2 decimal places")
    return int(scaled)


@lru_cache(maxsize=16384)
def to_money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)  # Decimal is immutable, so one cached instance can be shared


def round_half_up(numerator: int, denominator: int) -> int:
    """round_half_up(numerator / denominator) for a non-negative numerator and a positive denominator."""
    return (2 * numerator + denominator) // (2 * denominator)


def scale_half_up(cents: int, factor: Decimal) -> int:
    """round_half_up(cents x factor, 1 cent), exact for any decimal factor."""
    numerator, denominator = factor.as_integer_ratio()
    return round_half_up(cents * numerator, denominator)
