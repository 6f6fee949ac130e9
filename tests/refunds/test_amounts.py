from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refunds.amounts import AmountError, refundable_amount, unit_amount


def test_unit_amount_rounds_down():
    assert unit_amount(Decimal("100.00"), 3) == Decimal("33.33")


def test_last_unit_gets_the_remainder():
    first = refundable_amount(
        line_payable=Decimal("100.00"), line_quantity=3, taken_quantity=0, taken_amount=Decimal(0), quantity=2
    )
    assert first == Decimal("66.66")
    last = refundable_amount(
        line_payable=Decimal("100.00"), line_quantity=3, taken_quantity=2, taken_amount=first, quantity=1
    )
    assert last == Decimal("33.34")


def test_cannot_take_more_units_than_remain():
    with pytest.raises(AmountError):
        refundable_amount(
            line_payable=Decimal("10.00"), line_quantity=2, taken_quantity=1, taken_amount=Decimal("5"), quantity=2
        )
    with pytest.raises(AmountError):
        refundable_amount(
            line_payable=Decimal("10.00"), line_quantity=2, taken_quantity=0, taken_amount=Decimal(0), quantity=0
        )


def test_fully_discounted_line_refunds_zero():
    assert (
        refundable_amount(
            line_payable=Decimal("0.00"), line_quantity=2, taken_quantity=0, taken_amount=Decimal(0), quantity=1
        )
        == 0
    )


@given(
    payable_cents=st.integers(min_value=0, max_value=10**7),
    quantity=st.integers(min_value=1, max_value=50),
    data=st.data(),
)
def test_any_split_sums_to_the_line_and_never_exceeds_it(payable_cents, quantity, data):
    payable = Decimal(payable_cents) / 100
    taken_quantity, taken_amount = 0, Decimal("0.00")
    while taken_quantity < quantity:
        take = data.draw(st.integers(min_value=1, max_value=quantity - taken_quantity))
        amount = refundable_amount(
            line_payable=payable,
            line_quantity=quantity,
            taken_quantity=taken_quantity,
            taken_amount=taken_amount,
            quantity=take,
        )
        assert amount >= 0
        taken_quantity += take
        taken_amount += amount
        assert taken_amount <= payable
    assert taken_amount == payable
