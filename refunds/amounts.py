"""Refundable amounts, pure arithmetic (DESIGN.md "Refunds").

A line's refundable amount is what the shopper paid for it after every allocated discount, pro rata per unit.
Each unit is worth the line's payable amount divided by its quantity, rounded down to the cent; the last unit
carries the remainder, so refunding every unit (in any number of requests) returns exactly the line's payable
amount and never more.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from marketplace.money import CENT, ZERO


class AmountError(ValueError):
    pass


def unit_amount(line_payable: Decimal, line_quantity: int) -> Decimal:
    if line_quantity <= 0:
        raise AmountError("a line has at least one unit")
    return (line_payable / line_quantity).quantize(CENT, rounding=ROUND_DOWN)


def refundable_amount(
    *, line_payable: Decimal, line_quantity: int, taken_quantity: int, taken_amount: Decimal, quantity: int
) -> Decimal:
    """Amount for refunding `quantity` more units of a line of which `taken_*` are already in refunds."""
    if quantity <= 0:
        raise AmountError("quantity must be at least 1")
    remaining_quantity = line_quantity - taken_quantity
    if quantity > remaining_quantity:
        raise AmountError(f"only {remaining_quantity} unit(s) of this line can still be refunded")
    remaining_amount = max(line_payable - taken_amount, ZERO)
    if quantity == remaining_quantity:
        return remaining_amount
    return min(unit_amount(line_payable, line_quantity) * quantity, remaining_amount)
